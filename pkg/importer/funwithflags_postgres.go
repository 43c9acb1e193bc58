package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// DefaultFWFTable is the Ecto table FunWithFlags creates
// (priv/ecto_repo/migrations/00000000000000_create_feature_flags_table.exs).
const DefaultFWFTable = "fun_with_flags_toggles"

// fwfColumns are the columns every version of the table has; inserted_at
// (FunWithFlags 1.11+) is read when present, for the flags' created dates.
var fwfColumns = []string{"flag_name", "gate_type", "target", "enabled"}

// ReadFunWithFlagsPostgres reads every toggle from FunWithFlags' Ecto table
// (table may be schema-qualified, "" = fun_with_flags_toggles): one row per
// gate, gate_type boolean/actor/group/percentage, target "_fwf_none", the
// actor ID, the group name or "time/RATIO"/"actors/RATIO". A flag's created
// date is its oldest row's inserted_at when the table has timestamps. The
// password in rawURL never appears in reports.
func ReadFunWithFlagsPostgres(ctx context.Context, rawURL, table, env string) (*Result, error) {
	if table == "" {
		table = DefaultFWFTable
	}
	source := redactURL(rawURL) + " table " + table
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return nil, sourceErr(redactURL(rawURL), "", "%v", err)
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier(strings.Split(table, "."))
	quoted := ident.Sanitize()
	cols, err := tableColumns(ctx, conn, quoted)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42P01" {
			return nil, sourceErr(source, "", "no such table; FunWithFlags' default is %s (--table names another)", DefaultFWFTable)
		}
		return nil, sourceErr(source, "", "%v", err)
	}
	var missing []string
	for _, c := range fwfColumns {
		if !cols[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, sourceErr(source, "", "the table lacks column(s) %s; is it FunWithFlags' toggles table (flag_name, gate_type, target, enabled)?", strings.Join(missing, ", "))
	}
	sel := strings.Join(fwfColumns, ", ")
	if cols["inserted_at"] {
		sel += ", inserted_at"
	} else {
		sel += ", NULL::timestamp"
	}
	rows, err := conn.Query(ctx, "SELECT "+sel+" FROM "+quoted+" ORDER BY flag_name, gate_type, target")
	if err != nil {
		return nil, sourceErr(source, "", "%v", err)
	}
	defer rows.Close()
	b := newFWFBuilder(source, env)
	n := 0
	for rows.Next() {
		n++
		var name, typ, target string
		var enabled bool
		var inserted *time.Time
		if err := rows.Scan(&name, &typ, &target, &enabled, &inserted); err != nil {
			return nil, sourceErr(source, fmt.Sprintf("row %d", n), "%v", err)
		}
		where := fmt.Sprintf("row flag_name=%q gate_type=%q target=%q", name, typ, target)
		if typ == "boolean" && target != "_fwf_none" {
			return nil, sourceErr(source, fmt.Sprintf("row flag_name=%q gate_type=%q", name, typ), "target %q: a boolean gate's target is _fwf_none", target)
		}
		if err := b.add(fwfToggle{Flag: name, Type: typ, Target: target, Enabled: enabled, Where: where}); err != nil {
			return nil, err
		}
		b.created(name, inserted)
	}
	if err := rows.Err(); err != nil {
		return nil, sourceErr(source, "", "%v", err)
	}
	return b.result(), nil
}

// tableColumns returns the table's column names (an empty select reports them).
func tableColumns(ctx context.Context, conn *pgx.Conn, quoted string) (map[string]bool, error) {
	rows, err := conn.Query(ctx, "SELECT * FROM "+quoted+" WHERE false")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]bool{}
	for _, fd := range rows.FieldDescriptions() {
		cols[fd.Name] = true
	}
	rows.Close()
	return cols, rows.Err()
}

// created keeps the oldest timestamp seen for a flag as its created date.
func (b *fwfBuilder) created(name string, at *time.Time) {
	if at == nil || at.IsZero() {
		return
	}
	f := b.flags[name]
	d := flagfile.DateOf(at.UTC())
	if f.created.IsZero() || d.Before(f.created) {
		f.created = d
	}
}

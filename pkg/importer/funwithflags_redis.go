package importer

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/redis/go-redis/v9"
)

// FunWithFlags' Redis layout (lib/fun_with_flags/store/persistent/redis.ex).
const (
	fwfRedisSet    = "fun_with_flags"  // a set of every flag name
	fwfRedisPrefix = "fun_with_flags:" // a hash per flag
)

// fwfRedisBatch is how many HGETALLs go in one pipeline round trip.
const fwfRedisBatch = 1000

// ReadFunWithFlagsRedis reads every flag from a live Redis in FunWithFlags'
// layout: the set fun_with_flags of flag names and a hash fun_with_flags:NAME
// per flag ("boolean", "actor/ID", "group/NAME" → "true"/"false";
// "percentage" → "time/RATIO" or "actors/RATIO"). rawURL is
// redis://[:PASSWORD@]HOST:PORT/DB; the password never appears in reports.
func ReadFunWithFlagsRedis(ctx context.Context, rawURL, env string) (*Result, error) {
	source := redactURL(rawURL)
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, sourceErr(source, "", "bad Redis URL: %v; write redis://HOST:PORT/DB", err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	names, err := rdb.SMembers(ctx, fwfRedisSet).Result()
	if err != nil {
		if isWrongType(err) {
			typ, _ := rdb.Type(ctx, fwfRedisSet).Result()
			return nil, sourceErr(source, "key "+fwfRedisSet, "is a Redis %s, not a set: this database does not hold FunWithFlags' layout (is the DB number right?)", typ)
		}
		return nil, sourceErr(source, "", "%v", err)
	}
	sort.Strings(names)
	b := newFWFBuilder(source, env)
	for start := 0; start < len(names); start += fwfRedisBatch {
		batch := names[start:min(start+fwfRedisBatch, len(names))]
		pipe := rdb.Pipeline()
		cmds := make([]*redis.MapStringStringCmd, len(batch))
		for i, name := range batch {
			cmds[i] = pipe.HGetAll(ctx, fwfRedisPrefix+name)
		}
		if _, err := pipe.Exec(ctx); err != nil && !isWrongType(err) {
			return nil, sourceErr(source, "", "%v", err)
		}
		for i, name := range batch {
			key := fwfRedisPrefix + name
			fields, err := cmds[i].Result()
			if err != nil {
				if isWrongType(err) {
					typ, _ := rdb.Type(ctx, key).Result()
					return nil, sourceErr(source, "key "+key, "is a Redis %s, not a hash: FunWithFlags keeps each flag's gates in a hash", typ)
				}
				return nil, sourceErr(source, "key "+key, "%v", err)
			}
			b.flag(name, "key "+key) // a flag with no gates is still a flag
			for _, field := range sortedKeys(fields) {
				t, err := fwfRedisToggle(source, name, key, field, fields[field])
				if err != nil {
					return nil, err
				}
				if err := b.add(t); err != nil {
					return nil, err
				}
			}
		}
	}
	return b.result(), nil
}

// fwfRedisToggle reads one hash field (lib/fun_with_flags/store/serializer/redis.ex).
func fwfRedisToggle(source, name, key, field, value string) (fwfToggle, error) {
	pos := "key " + key + " field " + field
	t := fwfToggle{Flag: name, Where: pos}
	switch {
	case field == "boolean":
		t.Type = "boolean"
	case strings.HasPrefix(field, "actor/"):
		t.Type, t.Target = "actor", strings.TrimPrefix(field, "actor/")
	case strings.HasPrefix(field, "group/"):
		t.Type, t.Target = "group", strings.TrimPrefix(field, "group/")
	case field == "percentage":
		t.Type, t.Target, t.Enabled = "percentage", value, true
		return t, nil
	default:
		return t, sourceErr(source, pos, "unknown field; FunWithFlags writes boolean, actor/ID, group/NAME and percentage")
	}
	switch value {
	case "true":
		t.Enabled = true
	case "false":
	default:
		return t, sourceErr(source, pos, "value %q: expected \"true\" or \"false\"", value)
	}
	return t, nil
}

func isWrongType(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE")
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// redactURL hides a URL's password: reports and file headers never show it.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

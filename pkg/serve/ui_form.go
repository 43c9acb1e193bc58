package serve

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// maxIDsPerForm bounds the actors or groups one form adds.
const maxIDsPerForm = 1000

// gatesForm is the form that adds actors or groups: IDs separated by commas
// or line breaks, and whether they turn the flag on or off.
type gatesForm struct {
	IDs []string
	On  bool
}

func parseGatesForm(r *http.Request, field string) (gatesForm, error) {
	var f gatesForm
	seen := map[string]bool{}
	for _, id := range strings.FieldsFunc(r.PostFormValue(field), func(c rune) bool { return c == ',' || c == '\n' || c == '\r' }) {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			f.IDs = append(f.IDs, id)
		}
	}
	if len(f.IDs) == 0 {
		return f, fmt.Errorf("no %s given: write one or more, separated by commas or line breaks", field)
	}
	if len(f.IDs) > maxIDsPerForm {
		return f, fmt.Errorf("%d %s at once is more than %d: split the list", len(f.IDs), field, maxIDsPerForm)
	}
	for _, id := range f.IDs {
		if strings.ContainsFunc(id, func(c rune) bool { return c < ' ' || c == 0x7f }) {
			return f, fmt.Errorf("%q contains a control character", id)
		}
	}
	on, err := parseOnOff(r.PostFormValue("on"))
	f.On = on
	return f, err
}

func parseOnOff(v string) (bool, error) {
	switch v {
	case "true", "on":
		return true, nil
	case "false", "off":
		return false, nil
	}
	return false, fmt.Errorf("on must be true or false, not %q", v)
}

// percentForm is the percentage form: a gate (actors or time) and a value
// ("25", "25%", "0.5%").
type percentForm struct {
	Time  bool
	Value flagfile.Percent
}

func parsePercentForm(r *http.Request) (percentForm, error) {
	var f percentForm
	switch r.PostFormValue("gate") {
	case "actors", "":
	case "time":
		f.Time = true
	default:
		return f, fmt.Errorf("gate must be actors or time")
	}
	v := strings.TrimSpace(r.PostFormValue("value"))
	if v == "" {
		v = strings.TrimSpace(r.PostFormValue("custom"))
	}
	if !strings.HasSuffix(v, "%") {
		v += "%"
	}
	p, err := flagfile.ParsePercent(v)
	if err != nil {
		return f, fmt.Errorf("percentage %q: %v (write a number from 0.001 to 100)", strings.TrimSuffix(v, "%"), err)
	}
	f.Value = p
	return f, nil
}

// flagForm is the create and metadata form.
type flagForm struct {
	Name, Description, Owner, Kind, Expires string
}

func parseFlagForm(r *http.Request) flagForm {
	return flagForm{
		Name:        strings.TrimSpace(r.PostFormValue("name")),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		Owner:       strings.TrimSpace(r.PostFormValue("owner")),
		Kind:        strings.TrimSpace(r.PostFormValue("kind")),
		Expires:     strings.TrimSpace(r.PostFormValue("expires")),
	}
}

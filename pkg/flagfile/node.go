package flagfile

import "go.yaml.in/yaml/v3"

// node is the part of a yaml.Node that flagfile uses, at about half its size:
// a 5,000-flag file has some 100,000 of them, and a CLI edit parses it twice.
type node struct {
	Kind        yaml.Kind
	Style       yaml.Style
	Line        int
	Column      int
	Tag         string
	Value       string
	LineComment string
	Content     []*node
}

// fromYAML converts a yaml.v3 tree (the fallback parser's) into nodes.
func fromYAML(y *yaml.Node) *node {
	n := &node{Kind: y.Kind, Style: y.Style, Line: y.Line, Column: y.Column, Tag: y.Tag, Value: y.Value, LineComment: y.LineComment}
	if len(y.Content) > 0 {
		n.Content = make([]*node, len(y.Content))
		for i, c := range y.Content {
			n.Content[i] = fromYAML(c)
		}
	}
	return n
}

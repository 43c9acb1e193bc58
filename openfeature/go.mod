module github.com/flagctl/flagctl/openfeature

go 1.26.0

require (
	github.com/flagctl/flagctl v0.0.0
	github.com/open-feature/go-sdk v1.20.0
)

require (
	github.com/fsnotify/fsnotify v1.10.1 // indirect
	go.uber.org/mock v0.6.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/flagctl/flagctl => ../

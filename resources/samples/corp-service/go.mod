module git.corp.example/platform/api

go 1.23.4

require (
	git.corp.example/platform/auth v1.4.2
	github.com/google/uuid v1.6.0
)

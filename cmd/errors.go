package cmd

import (
	"errors"
	"fmt"
)

// Exit codes, documented in README.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // lint errors, fmt --check differences, stale flags, failed tests
	ExitUsage    = 2 // bad arguments or flags, unknown flag or environment
	ExitFile     = 3 // a file could not be read, parsed or written
)

// FlagError is a usage error: Main prints it with the command's usage and exits 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

func flagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ExitError carries an exit code; Main prints Err (unless nil) and exits with Code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}
func (e *ExitError) Unwrap() error { return e.Err }

// usageErr is a usage error printed without the usage text (exit 2).
func usageErr(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// fileErr marks a file that could not be read, parsed or written (exit 3).
func fileErr(err error) error {
	if err == nil {
		return nil
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: ExitFile, Err: err}
}

// errFindings is returned after findings were printed (exit 1, nothing more).
var errFindings = &ExitError{Code: ExitFindings}

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	var fe *FlagError
	var ee *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fe):
		return ExitUsage
	case errors.As(err, &ee):
		return ee.Code
	}
	// Every file error is wrapped by fileErr; what is left comes from cobra's
	// argument and flag validation.
	return ExitUsage
}

package cmd

import (
	"errors"
	"fmt"
	"strings"
)

// Exit codes, documented in README.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // lint errors, fmt --check differences, stale flags, failed tests
	ExitUsage    = 2 // bad arguments or flags, unknown flag or environment
	ExitFile     = 3 // a file could not be read, parsed or written
	ExitInternal = 4 // an internal error (a bug) or an unexpected failure, e.g. writing to stdout
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

// internalErr marks an error that is neither a usage nor a file error: a bug
// (flagfile's "internal error: …") or an unexpected failure such as a write to
// stdout (exit 4).
func internalErr(err error) error {
	var ee *ExitError
	if err == nil || errors.As(err, &ee) {
		return err
	}
	if !isInternal(err) {
		err = fmt.Errorf("internal error: %w", err)
	}
	return &ExitError{Code: ExitInternal, Err: err}
}

// isInternal reports an error pkg/flagfile marks as its own bug, however
// wrapped: its message starts with "internal error" (an edit that did not
// verify, converge or parse).
func isInternal(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if strings.HasPrefix(err.Error(), "internal error") {
			return true
		}
	}
	return false
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
	// Usage and file errors are marked (FlagError, usageErr, fileErr); Run
	// marks cobra's own command-line errors as usage errors. Anything else is
	// unexpected.
	return ExitInternal
}

package tui

// Status is where a learner stands with one lesson.
type Status int

// The statuses, as the lessons screen shows them.
const (
	NotTried Status = iota
	Failed          // the last check did not pass
	Passed
)

func (s Status) String() string {
	switch s {
	case Passed:
		return "passed"
	case Failed:
		return "failed last time"
	default:
		return "not tried"
	}
}

// Progress remembers what the learner did, so that a restart resumes where
// they were. The lab tells it about every check, hint and lesson opened; it
// never touches the state file itself. Errors from the Record methods are
// shown, never fatal: losing progress must not stop the learner.
type Progress interface {
	// Status is the lesson's status; unknown ids are NotTried.
	Status(lessonID string) Status
	// HintsShown is how many of the lesson's hints the learner has seen.
	HintsShown(lessonID string) int
	// Current is the lesson the learner was last on, or "".
	Current() string

	// RecordCheck saves the outcome of a check that judged the code.
	RecordCheck(lessonID string, passed bool) error
	// RecordHint saves that the first n hints have been shown.
	RecordHint(lessonID string, n int) error
	// RecordOpen saves the lesson the learner is on.
	RecordOpen(lessonID string) error
}

package cohort

import (
	"sort"

	"github.com/dblings/dblings/report"
)

// maxStuck is how many failing assertions a lesson lists: the few most of
// the room shares, not every learner's every mistake.
const maxStuck = 3

// Room is a class rolled up.
type Room struct {
	// Lessons are the lesson ids in the order the results list them.
	Lessons []LessonSummary `json:"lessons"`
	// Learners are in the order their files were read.
	Learners []LearnerRow `json:"learners"`
	// Skipped are the files that were not counted.
	Skipped []Skipped `json:"skipped"`
}

// LessonSummary is one lesson across the room.
type LessonSummary struct {
	ID       string  `json:"id"`
	MaxScore float64 `json:"max_score"`
	// Passed counts the learners whose own code passed; Attempted those
	// who worked on it and were judged (not caught up, not untouched, and
	// not stopped by failed servers).
	Passed    int `json:"passed"`
	Attempted int `json:"attempted"`
	// Stuck are the assertions most learners who attempted the lesson
	// fail, most shared first.
	Stuck []Stuck `json:"stuck"`
}

// Stuck is an assertion that learners fail.
type Stuck struct {
	Assertion string `json:"assertion"`
	Learners  int    `json:"learners"`
}

// LearnerRow is one learner across the lessons.
type LearnerRow struct {
	Name     string  `json:"name"`
	File     string  `json:"file"`
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	// Lessons holds the learner's result of each lesson, by id; a lesson
	// their results do not have is absent.
	Lessons map[string]Cell `json:"lessons"`
}

// Cell is one learner's lesson.
type Cell struct {
	Status   string   `json:"status"`
	Score    float64  `json:"score"`
	MaxScore float64  `json:"max_score"`
	Failing  []string `json:"failing,omitempty"`
}

// Summarize rolls up learners' results and the files skipped.
func Summarize(learners []Learner, skipped []Skipped) Room {
	room := Room{Learners: []LearnerRow{}, Skipped: skipped, Lessons: []LessonSummary{}}
	if room.Skipped == nil {
		room.Skipped = []Skipped{}
	}
	index := map[string]int{}
	failing := map[string]map[string]int{} // lesson → assertion → learners
	for _, l := range learners {
		row := LearnerRow{Name: l.Name, File: l.File, Score: l.Score, MaxScore: l.MaxScore, Lessons: map[string]Cell{}}
		for _, lr := range l.Lessons {
			i, ok := index[lr.ID]
			if !ok {
				i = len(room.Lessons)
				index[lr.ID] = i
				room.Lessons = append(room.Lessons, LessonSummary{ID: lr.ID, MaxScore: lr.MaxScore})
				failing[lr.ID] = map[string]int{}
			}
			row.Lessons[lr.ID] = Cell{Status: lr.Status(), Score: lr.Score, MaxScore: lr.MaxScore, Failing: l.Failing[lr.ID]}
			count(&room.Lessons[i], lr, l.Failing[lr.ID], failing[lr.ID])
		}
		room.Learners = append(room.Learners, row)
	}
	for i := range room.Lessons {
		room.Lessons[i].Stuck = mostShared(failing[room.Lessons[i].ID])
	}
	return room
}

// count adds one learner's lesson to its summary. Caught-up and untouched
// lessons say nothing about what the room is stuck on, nor does a check
// whose servers failed (verdict error): that was no fault of the learner.
func count(s *LessonSummary, lr report.LessonResult, failed []string, failing map[string]int) {
	if lr.CaughtUp || lr.Untouched || lr.Verdict == "error" {
		return
	}
	s.Attempted++
	if lr.Verdict == "passed" {
		s.Passed++
	}
	seen := map[string]bool{}
	for _, a := range failed {
		if !seen[a] {
			seen[a] = true
			failing[a]++
		}
	}
}

// mostShared lists the assertions failed by the most learners, at most
// maxStuck of them, ties in name order.
func mostShared(failing map[string]int) []Stuck {
	out := []Stuck{}
	for a, n := range failing {
		out = append(out, Stuck{Assertion: a, Learners: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Learners != out[j].Learners {
			return out[i].Learners > out[j].Learners
		}
		return out[i].Assertion < out[j].Assertion
	})
	return out[:min(len(out), maxStuck)]
}

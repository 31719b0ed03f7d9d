//! Survey responses, imported per fund and survey version.

use tnw_storage::{Store, SurveyImportCounts, SurveyResponse};

fn response(id: &str, answers: &str) -> SurveyResponse {
    SurveyResponse {
        respondent: id.into(),
        answers: answers.into(),
    }
}

/// Survey imports: new, corrected and unchanged answers counted, one set per fund and
/// survey version, the later answers winning.
pub fn survey_responses(store: &mut dyn Store) {
    let v1 = "experience-survey-v1";
    assert_eq!(
        store.survey_responses("fund-sv", v1).expect("read"),
        Vec::new(),
        "an unknown fund has no responses"
    );
    let first = [
        response("R2", r#"{"coached":"never"}"#),
        response("R1", r#"{"coached":"ongoing","helped":"4"}"#),
    ];
    let c = store.import_survey("fund-sv", v1, &first).expect("import");
    assert_eq!(
        c,
        SurveyImportCounts {
            new: 2,
            updated: 0,
            unchanged: 0
        }
    );
    // The same file again changes nothing; a corrected answer replaces the old one.
    let again = store
        .import_survey("fund-sv", v1, &first)
        .expect("re-import");
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 2));
    let fixed = [
        response("R1", r#"{"coached":"ongoing","helped":"5"}"#),
        response("R3", r#"{"coached":"referred"}"#),
    ];
    let c = store.import_survey("fund-sv", v1, &fixed).expect("update");
    assert_eq!((c.new, c.updated, c.unchanged), (1, 1, 0));
    let stored = store.survey_responses("fund-sv", v1).expect("read");
    assert_eq!(
        stored,
        vec![
            response("R1", r#"{"coached":"ongoing","helped":"5"}"#),
            response("R2", r#"{"coached":"never"}"#),
            response("R3", r#"{"coached":"referred"}"#),
        ],
        "by respondent id, with the newest answers"
    );
    // Funds and survey versions are apart: the same respondent id elsewhere is
    // someone else.
    let other = [response("R1", r#"{"coached":"never"}"#)];
    let c = store
        .import_survey("fund-sv2", v1, &other)
        .expect("other fund");
    assert_eq!(c.new, 1);
    assert_eq!(
        store.survey_responses("fund-sv2", v1).expect("read"),
        other.to_vec()
    );
    assert_eq!(
        store.survey_responses("fund-sv", v1).expect("read").len(),
        3
    );
    assert_eq!(
        store
            .survey_responses("fund-sv", "experience-survey-v2")
            .expect("read"),
        Vec::new()
    );
    // A respondent twice in one call (the survey crate refuses such files; the store
    // stays well defined): the later answers win.
    let twice = [
        response("R9", r#"{"coached":"never"}"#),
        response("R9", r#"{"coached":"ongoing"}"#),
    ];
    let c = store.import_survey("fund-sv", v1, &twice).expect("twice");
    assert_eq!((c.new, c.updated), (1, 1));
    let r9 = store.survey_responses("fund-sv", v1).expect("read");
    assert_eq!(r9.last(), Some(&response("R9", r#"{"coached":"ongoing"}"#)));
}

//! Experience-survey responses as stored.

/// One respondent's survey answers as stored: the answers are an opaque JSON object
/// to the store (the survey crate reads and writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResponse {
    pub respondent: String,
    pub answers: String,
}

/// What a survey import did: respondents new to the fund, stored with other answers
/// before (replaced), or stored with the same answers (left as they were).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyImportCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

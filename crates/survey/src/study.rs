//! 5,100 synthetic respondents with exactly the answer counts of the CM study of
//! November 2023 (docs/domain.md [S000]: Table 1, Table 2, figures 3–18), for the reproduction test
//! and the demo. Where the study prints only a percentage, or nothing, the counts here
//! are our choice within what it prints (docs/survey.md lists which).
//!
//! Each question's counts are handed out over exactly the respondents the instrument's
//! routing asks it of, in a shuffled order, so that every respondent is a consistent
//! path through the survey and the answers of different questions are mixed.

use crate::instrument::{Instrument, Kind};
use crate::responses::Response;
use std::collections::BTreeMap;

/// Respondents in the study.
pub const RESPONDENTS: usize = 5100;

/// (value, count) per question, in the instrument's order.
type Counts = &'static [(&'static str, u64)];

/// Likert counts from the grouped counts the study prints: agree splits 60/40 into
/// 4 and 5, disagree 40/60 into 1 and 2.
fn likert(agree: u64, neutral: u64, disagree: u64) -> Vec<(&'static str, u64)> {
    let four = agree * 6 / 10;
    let one = disagree * 4 / 10;
    vec![
        ("1", one),
        ("2", disagree - one),
        ("3", neutral),
        ("4", four),
        ("5", agree - four),
    ]
}

const COACHED: u64 = 943;

/// Table 2: "agree or fully agree" per statement (n=943).
pub const TABLE_2: [(&str, u64); 10] = [
    ("q_heard", 757),
    ("q_understood", 708),
    ("q_info_needed", 637),
    ("q_info_clear", 757),
    ("q_info_helped", 560),
    ("q_needs_considered", 616),
    ("q_right_referral", 513),
    ("q_free_to_decide", 622),
    ("q_good_conditions", 787),
    ("q_enough_time", 762),
];

fn counts(code: &str) -> Option<Vec<(&'static str, u64)>> {
    let fixed: Counts = match code {
        "sex" => &[("m", 1769), ("f", 3331)],
        // Not in the study (mean age 49, sd 10): our choice.
        "age_group" => &[
            ("18_29", 255),
            ("30_39", 765),
            ("40_49", 1275),
            ("50_59", 1989),
            ("60_plus", 816),
        ],
        "education" => &[
            ("primary", 209),
            ("lower_secondary", 931),
            ("upper_secondary", 1762),
            ("higher_short", 1465),
            ("higher_long", 733),
        ],
        "region" => &[
            ("flanders", 3317),
            ("wallonia", 1502),
            ("brussels", 175),
            ("abroad", 106),
        ],
        "employment_status" => &[
            ("employee", 4653),
            ("unemployed", 201),
            ("employee_and_self_employed", 173),
            ("other", 73),
        ],
        "work_type" => &[("manual", 2684), ("mental", 2416)],
        "regime" => &[("full_time", 3049), ("part_time", 2051)],
        // The study prints > 500: 33% and 50–249: 25% only.
        "company_size" => &[
            ("lt_10", 612),
            ("10_49", 918),
            ("50_249", 1275),
            ("250_500", 510),
            ("gt_500", 1683),
            ("unknown", 102),
        ],
        "sector" => &[
            ("Q", 1373),
            ("C", 680),
            ("N", 442),
            ("G", 428),
            ("H", 294),
            ("other", 1883),
        ],
        "condition" => &[
            ("mental", 1933),
            ("musculoskeletal", 1184),
            ("injury", 560),
            ("cancer", 431),
            ("nervous", 204),
            ("other", 788),
        ],
        "category" => &[("none", 1870), ("1", 320), ("3", 2585), ("4", 325)],
        "coached" => &[
            ("never", 4157),
            ("stopped_first", 240),
            ("stopped_some", 133),
            ("referred", 190),
            ("ongoing", 380),
        ],
        // `other`: the rest of the 4,157.
        "no_contact_reason" => &[
            ("health", 891),
            ("not_invited", 832),
            ("not_informed", 667),
            ("via_employer_or_occupational_physician", 648),
            ("on_own", 358),
            ("not_ready", 335),
            ("already_working", 112),
            ("other", 314),
        ],
        "other_support" => &[
            ("none", 2239),
            ("back_at_work", 1197),
            ("employer", 160),
            ("occupational_physician", 146),
            ("career_guidance", 108),
            ("other", 307),
        ],
        "initiative" => &[("own", 484), ("advisory_doctor", 459)],
        // Mean 3.05 and standard deviation 2.6 (the study: 3 and 3).
        "contacts" => &[
            ("1", 300),
            ("2", 220),
            ("3", 160),
            ("4", 90),
            ("5", 60),
            ("6", 40),
            ("8", 40),
            ("12", 20),
            ("15", 13),
        ],
        "helped_reason" => &[
            ("possibilities", 90),
            ("listened", 82),
            ("occupational_physician_info", 75),
            ("employment_service", 31),
            ("emotional_support", 60),
            ("other", 155),
        ],
        "not_helped_reason" => &[
            ("not_ready", 159),
            ("would_have_returned_anyway", 67),
            ("helped_otherwise", 39),
            ("info_not_relevant", 28),
            ("info_too_limited", 24),
            ("health_too_serious", 27),
            ("other", 106),
        ],
        "results" => &[("none", 341), ("too_early", 314), ("yes", 288)],
        "main_result" => &[
            ("back_at_work", 115),
            ("clearer_direction", 36),
            ("motivation", 33),
            ("other", 104),
        ],
        "stop_reason" => &[
            ("health", 123),
            ("back_to_work", 83),
            ("unable_to_work", 37),
            ("expectations", 15),
            ("other", 115),
        ],
        "referred_to" => &[
            ("occupational_physician", 73),
            ("employment_service", 66),
            ("career_guidance", 29),
            ("training_centre", 8),
            ("psychologist", 6),
            ("employer", 5),
            ("other", 3),
        ],
        "back_at_work" => &[("no", 2801), ("part_time", 1549), ("full_time", 750)],
        // 83% back with the same employer (section 4.2.2): 1,911 of 2,299.
        "return_place" => &[
            ("same_employer_same_job", 1098),
            ("same_employer_same_job_adapted", 623),
            ("same_employer_other_job", 190),
            ("other_employer_same_job", 120),
            ("other_employer_other_job", 205),
            ("other", 63),
        ],
        "authorised_activity" => &[("yes", 1968), ("no", 331)],
        "adaptations_needed" => &[("yes", 1254), ("no", 1045)],
        // At least most: 786 (63%); at least half: 916 (73%); none: 170.
        "adaptations_received" => &[
            ("all", 421),
            ("most", 365),
            ("half", 130),
            ("less_than_half", 168),
            ("none", 170),
        ],
        "refusal_reason" => &[
            ("no_explanation", 34),
            ("work_organisation", 33),
            ("not_possible_for_job", 27),
            ("supervisor_saw_no_use", 19),
            ("other", 57),
        ],
        // Likert questions: agree, neutral, disagree as printed (or derived from the
        // printed percentages, docs/survey.md).
        "helped" => return Some(likert(493, 297, 153)),
        "ease" => return Some(likert(960, 622, 717)),
        "difficulty" => return Some(likert(1003, 598, 698)),
        "adaptations_ease" => return Some(likert(557, 300, 227)),
        other => {
            let (_, agree) = TABLE_2.iter().find(|(c, _)| *c == other)?;
            let rest = COACHED - agree;
            let neutral = rest * 55 / 100;
            return Some(likert(*agree, neutral, rest - neutral));
        }
    };
    Some(fixed.to_vec())
}

/// A small deterministic generator (xorshift64*): the same respondents on every run
/// and platform, without a dependency.
struct Shuffle(u64);

impl Shuffle {
    fn new(code: &str) -> Shuffle {
        // FNV-1a of the question code: each question is mixed differently.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in code.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Shuffle(h | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for k in (1..items.len()).rev() {
            let j = (self.next() % (k as u64 + 1)) as usize;
            items.swap(k, j);
        }
    }
}

/// The study's 5,100 respondents (`S0001` …), answering `i` (the experience survey).
pub fn respondents(i: &Instrument) -> Result<Vec<Response>, String> {
    let mut out: Vec<Response> = (1..=RESPONDENTS)
        .map(|k| Response {
            respondent: format!("S{k:04}"),
            answers: BTreeMap::new(),
        })
        .collect();
    for q in &i.questions {
        let counts = counts(&q.code).ok_or_else(|| format!("no study counts for `{}`", q.code))?;
        let mut asked: Vec<usize> = (0..out.len())
            .filter(|&k| i.asked(q, |c| out[k].get(c)))
            .collect();
        let total: u64 = counts.iter().map(|(_, n)| n).sum();
        if total != asked.len() as u64 {
            return Err(format!(
                "`{}`: the counts add up to {total}, but the routing asks {}",
                q.code,
                asked.len()
            ));
        }
        if q.kind != Kind::Integer {
            let codes = i.option_codes(q);
            if let Some((v, _)) = counts.iter().find(|(v, _)| !codes.contains(v)) {
                return Err(format!("`{}`: `{v}` is not an option", q.code));
            }
        }
        Shuffle::new(&q.code).shuffle(&mut asked);
        let mut next = asked.into_iter();
        for (value, n) in counts {
            for k in next.by_ref().take(n as usize) {
                out[k].answers.insert(q.code.clone(), value.to_owned());
            }
        }
    }
    Ok(out)
}

/// The first `n` of the study's respondents: a smaller sample for demos, each still a
/// consistent path through the survey.
pub fn sample(i: &Instrument, n: usize, prefix: &str) -> Result<Vec<Response>, String> {
    let mut all = respondents(i)?;
    all.truncate(n);
    for r in &mut all {
        r.respondent = format!("{prefix}{}", r.respondent);
    }
    Ok(all)
}

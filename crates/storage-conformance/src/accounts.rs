//! Accounts: users per fund, sessions, and the login throttle's failures.

use crate::fixtures::a_fund_with_a_case;
use tnw_storage::{Store, User};

/// Users are unique and per fund, sessions are touched, end with their user's
/// deactivation or a logout, and login failures are counted since a moment.
pub fn users_sessions_and_throttling(store: &mut dyn Store) {
    // Another fund, which must neither list nor change this fund's users.
    a_fund_with_a_case(store, "fund-a", "C1");
    let user = User {
        id: 0,
        org: "fund-w".into(),
        username: "carla".into(),
        display_name: "Carla Coördinator".into(),
        role: "coordinator".into(),
        password_hash: "$argon2id$…".into(),
        language: "nl".into(),
        person_id: None,
        employer_id: None,
        party: None,
        active: true,
        email: Some("carla@fund.example".into()),
    };
    let id = store.create_user("fund-w", &user).expect("create");
    assert!(
        store.create_user("fund-w", &user).is_err(),
        "usernames are unique"
    );
    let got = store.user_by_name("carla").expect("get").expect("carla");
    assert_eq!(
        (got.id, got.org.as_str(), got.display_name.as_str()),
        (id, "fund-w", "Carla Coördinator")
    );
    assert_eq!(store.users("fund-w").expect("users").len(), 1);
    assert!(store.users("fund-a").expect("users").is_empty());
    let token = [7u8; 32];
    store
        .create_session(&token, id, "csrf-token", 1000, 5000)
        .expect("session");
    let s = store
        .touch_session(&token, 1200)
        .expect("touch")
        .expect("session");
    assert_eq!(
        (
            s.user.username.as_str(),
            s.csrf.as_str(),
            s.created_at,
            s.expires_at
        ),
        ("carla", "csrf-token", 1000, 5000)
    );
    assert_eq!(
        store
            .touch_session(&token, 1300)
            .expect("touch")
            .expect("again")
            .last_seen,
        1200
    );
    // Deactivating a user ends their sessions; other funds cannot touch the account.
    let mut changed = got.clone();
    changed.role = "paramedic".into();
    assert!(
        !store.update_user("fund-a", &changed).expect("update"),
        "another fund's user"
    );
    assert!(store.update_user("fund-w", &changed).expect("update"));
    assert_eq!(
        store
            .user_by_name("carla")
            .expect("get")
            .expect("carla")
            .role,
        "paramedic"
    );
    changed.role = "coordinator".into();
    changed.active = false;
    assert!(store.update_user("fund-w", &changed).expect("deactivate"));
    assert!(
        store.touch_session(&token, 1400).expect("touch").is_none(),
        "sessions of a deactivated user end"
    );
    changed.active = true;
    assert!(store.update_user("fund-w", &changed).expect("reactivate"));
    store
        .create_session(&token, id, "csrf-token", 1000, 5000)
        .expect("session");
    store.delete_session(&token).expect("logout");
    assert!(store.touch_session(&token, 1400).expect("touch").is_none());
    for t in [100, 200, 300] {
        store.record_login_failure("carla", t).expect("failure");
    }
    assert_eq!(store.login_failures_since("carla", 150).expect("count"), 2);
    assert_eq!(store.login_failures_since("nobody", 0).expect("count"), 0);
    // An outside actor's account keeps the party it acts for, through a session too.
    let gp = User {
        username: "dr.peeters".into(),
        role: "treating_physician".into(),
        party: Some("physician:10000000001".into()),
        email: None,
        ..user.clone()
    };
    let gp_id = store.create_user("fund-w", &gp).expect("create");
    let got = store.user_by_name("dr.peeters").expect("get").expect("gp");
    assert_eq!(got.party.as_deref(), Some("physician:10000000001"));
    store
        .create_session(&[9u8; 32], gp_id, "csrf", 1000, 5000)
        .expect("session");
    let s = store
        .touch_session(&[9u8; 32], 1100)
        .expect("touch")
        .expect("session");
    assert_eq!(s.user.party, got.party);
    let mut moved = got.clone();
    moved.party = Some("physician:10000000002".into());
    assert!(store.update_user("fund-w", &moved).expect("update"));
    assert_eq!(
        store
            .user_by_name("dr.peeters")
            .expect("get")
            .expect("gp")
            .party,
        moved.party
    );
}

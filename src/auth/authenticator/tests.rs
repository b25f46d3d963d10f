use std::net::IpAddr;

use super::*;
use crate::auth::testing::{ADMIN_PASSWORD, CUSTOMER_PASSWORD, Fixture};

const NOW: u64 = 1_795_315_455;

fn basic(login: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{login}:{password}")))
}

fn input<'a>(authorization: Option<&'a str>, method: &'a str) -> AuthInput<'a> {
    AuthInput {
        authorization,
        consumer_key: None,
        consumer_secret: None,
        username: None,
        password: None,
        method,
        client_addr: Some(IpAddr::from([192, 0, 2, 1])),
        credentials_accepted: true,
    }
}

fn run(input: &AuthInput<'_>, fx: &Fixture) -> Result<Option<Principal>, AuthError> {
    authenticate(input, fx, &Throttle::new(5, 300), NOW)
}

fn user_id(result: Result<Option<Principal>, AuthError>) -> u64 {
    result.unwrap().expect("authenticated").user_id()
}

fn refusal(result: Result<Option<Principal>, AuthError>) -> (u16, &'static str, String) {
    let err = result.unwrap_err();
    (err.status, err.code, err.message)
}

fn incorrect(login: &str) -> (u16, &'static str, String) {
    (
        401,
        "cocart_authentication_error",
        format!("The password you entered for the username \"{login}\" is incorrect."),
    )
}

fn invalid() -> (u16, &'static str, String) {
    (
        401,
        "cocart_authentication_error",
        "Authentication invalid!".into(),
    )
}

#[test]
fn no_credentials_is_a_guest() {
    let fx = Fixture::new();
    assert_eq!(run(&input(None, "GET"), &fx).unwrap(), None);
    assert_eq!(
        run(&input(Some("Bearer abc.def"), "GET"), &fx).unwrap(),
        None
    );
}

#[test]
fn basic_by_username_as_in_recording_23() {
    let fx = Fixture::new();
    let header = basic("admin", ADMIN_PASSWORD);
    let principal = run(&input(Some(&header), "GET"), &fx).unwrap().unwrap();
    assert_eq!(principal.user_id(), 1);
    assert_eq!(principal.method, AuthMethod::Password);
    assert_eq!(principal.cart_key(), "1");
}

#[test]
fn scheme_is_case_insensitive_and_password_keeps_its_colons() {
    let fx = Fixture::new();
    let header = basic("ann", CUSTOMER_PASSWORD).replacen("Basic", "bAsIc", 1);
    assert_eq!(user_id(run(&input(Some(&header), "GET"), &fx)), 3);
}

#[test]
fn basic_by_email_any_case() {
    let fx = Fixture::new();
    let header = basic("ann@example.TEST", CUSTOMER_PASSWORD);
    assert_eq!(user_id(run(&input(Some(&header), "POST"), &fx)), 3);
}

#[test]
fn basic_by_billing_phone() {
    let fx = Fixture::new();
    let header = basic("+44 (0)20 7946-0000", CUSTOMER_PASSWORD);
    assert_eq!(user_id(run(&input(Some(&header), "GET"), &fx)), 3);
}

#[test]
fn wrong_password_as_in_recording_26() {
    let fx = Fixture::new();
    let header = basic("admin", "wrong");
    assert_eq!(
        refusal(run(&input(Some(&header), "GET"), &fx)),
        incorrect("admin")
    );
}

#[test]
fn unknown_user_gets_the_same_401_not_a_crash() {
    let fx = Fixture::new();
    let header = basic("nobody", "whatever");
    assert_eq!(
        refusal(run(&input(Some(&header), "GET"), &fx)),
        incorrect("nobody")
    );
}

#[test]
fn email_login_failure_echoes_what_was_typed_not_the_account_login() {
    let fx = Fixture::new();
    let header = basic("ann@example.test", "wrong");
    assert_eq!(
        refusal(run(&input(Some(&header), "GET"), &fx)),
        incorrect("ann@example.test")
    );
}

#[test]
fn password_never_appears_in_the_error() {
    let fx = Fixture::new();
    let header = basic("admin", "hunter2-secret");
    let err = run(&input(Some(&header), "GET"), &fx).unwrap_err();
    assert!(!err.to_json().to_string().contains("hunter2-secret"));
    assert!(!format!("{err:?}").contains("hunter2-secret"));
}

#[test]
fn empty_username_is_authentication_invalid() {
    let fx = Fixture::new();
    for header in [basic("", "secret"), basic("", "")] {
        assert_eq!(refusal(run(&input(Some(&header), "GET"), &fx)), invalid());
    }
}

#[test]
fn empty_password_is_authentication_invalid() {
    let fx = Fixture::new();
    let header = basic("admin", "");
    assert_eq!(refusal(run(&input(Some(&header), "GET"), &fx)), invalid());
}

#[test]
fn phone_matching_nobody_is_authentication_invalid() {
    let fx = Fixture::new();
    let header = basic("12345", "secret");
    assert_eq!(refusal(run(&input(Some(&header), "GET"), &fx)), invalid());
    // ... and with no password either, there is nothing left: a guest, as in CoCart.
    let header = basic("12345", "");
    assert_eq!(run(&input(Some(&header), "GET"), &fx).unwrap(), None);
}

#[test]
fn basic_without_colon_is_a_guest_and_hides_the_parameters() {
    let fx = Fixture::new();
    let header = format!("Basic {}", BASE64.encode("admin"));
    let mut request = input(Some(&header), "GET");
    request.username = Some("admin");
    request.password = Some(ADMIN_PASSWORD);
    assert_eq!(run(&request, &fx).unwrap(), None);
    assert_eq!(run(&input(Some("Basic !!!"), "GET"), &fx).unwrap(), None);
}

#[test]
fn username_and_password_parameters_are_trimmed() {
    let fx = Fixture::new();
    let padded = format!(" {ADMIN_PASSWORD}\n");
    let mut request = input(None, "POST");
    request.username = Some(" admin ");
    request.password = Some(&padded);
    assert_eq!(user_id(run(&request, &fx)), 1);
}

#[test]
fn a_lone_parameter_is_not_an_attempt() {
    let fx = Fixture::new();
    let mut request = input(None, "POST");
    request.username = Some("admin");
    assert_eq!(run(&request, &fx).unwrap(), None);
    request.password = Some("0");
    assert_eq!(run(&request, &fx).unwrap(), None);
}

#[test]
fn credentials_over_an_unaccepted_transport_are_ignored() {
    let fx = Fixture::new();
    let header = basic("admin", "wrong");
    let mut request = input(Some(&header), "GET");
    request.credentials_accepted = false;
    assert_eq!(run(&request, &fx).unwrap(), None);
}

#[test]
fn consumer_key_in_the_basic_header() {
    let fx = Fixture::new();
    let (key, secret) = &fx.keys["read_write"];
    let header = basic(key, secret);
    let principal = run(&input(Some(&header), "POST"), &fx).unwrap().unwrap();
    assert_eq!(principal.user_id(), 1);
    assert_eq!(
        principal.method,
        AuthMethod::ApiKey {
            key_lookup: api_key::key_lookup(key)
        }
    );
}

#[test]
fn consumer_key_in_the_query() {
    let fx = Fixture::new();
    let (key, secret) = &fx.keys["read"];
    let mut request = input(None, "GET");
    request.consumer_key = Some(key);
    request.consumer_secret = Some(secret);
    assert_eq!(user_id(run(&request, &fx)), 1);
}

#[test]
fn wrong_consumer_secret() {
    let fx = Fixture::new();
    let (key, _) = &fx.keys["read_write"];
    let mut request = input(None, "GET");
    request.consumer_key = Some(key);
    request.consumer_secret = Some("cs_0000000000000000000000000000000000000000");
    let err = run(&request, &fx).unwrap_err();
    assert_eq!(
        (err.status, err.code, err.message.as_str()),
        (
            401,
            "woocommerce_rest_authentication_error",
            "Consumer secret is invalid."
        )
    );
    assert!(err.www_authenticate.is_some());
}

#[test]
fn read_only_key_cannot_post_and_write_only_key_cannot_get() {
    let fx = Fixture::new();
    let (key, secret) = &fx.keys["read"];
    let header = basic(key, secret);
    assert_eq!(
        refusal(run(&input(Some(&header), "POST"), &fx)),
        (
            401,
            "woocommerce_rest_authentication_error",
            "The API key provided does not have write permissions.".into()
        )
    );
    assert_eq!(user_id(run(&input(Some(&header), "OPTIONS"), &fx)), 1);
    let (key, secret) = &fx.keys["write"];
    let header = basic(key, secret);
    assert_eq!(
        refusal(run(&input(Some(&header), "HEAD"), &fx)).2,
        "The API key provided does not have read permissions."
    );
    assert_eq!(
        refusal(run(&input(Some(&header), "TRACE"), &fx)).2,
        "Unknown request method."
    );
}

#[test]
fn unknown_key_in_basic_is_tried_as_a_password() {
    let fx = Fixture::new();
    let header = basic("ck_unknown", "cs_unknown");
    assert_eq!(
        refusal(run(&input(Some(&header), "GET"), &fx)),
        incorrect("ck_unknown")
    );
}

#[test]
fn unknown_key_in_the_query_is_a_guest() {
    let fx = Fixture::new();
    let mut request = input(None, "GET");
    request.consumer_key = Some("ck_unknown");
    request.consumer_secret = Some("cs_unknown");
    assert_eq!(run(&request, &fx).unwrap(), None);
}

#[test]
fn directory_failure_is_a_500_without_detail() {
    let mut fx = Fixture::new();
    fx.broken = true;
    let header = basic("admin", ADMIN_PASSWORD);
    let err = run(&input(Some(&header), "GET"), &fx).unwrap_err();
    assert_eq!((err.status, err.code), (500, "internal_server_error"));
    assert!(!err.message.contains("disk"));
}

#[test]
fn throttle_trips_per_user_then_releases() {
    let fx = Fixture::new();
    let throttle = Throttle::new(3, 300);
    let wrong = basic("ann", "wrong");
    let right = basic("ann", CUSTOMER_PASSWORD);
    for attempt in 0..3u16 {
        // A different address each time: only the login count can trip.
        let mut request = input(Some(&wrong), "GET");
        request.client_addr = Some(IpAddr::from([198, 51, 100, attempt as u8]));
        assert_eq!(
            authenticate(&request, &fx, &throttle, NOW)
                .unwrap_err()
                .status,
            401
        );
    }
    let err = authenticate(&input(Some(&right), "GET"), &fx, &throttle, NOW + 1).unwrap_err();
    assert_eq!(
        (err.status, err.code, err.retry_after),
        (429, "cartd_too_many_attempts", Some(299))
    );
    // The same lockout by email: the count is per account, not per spelling.
    let by_email = basic("ANN@example.test", CUSTOMER_PASSWORD);
    assert_eq!(
        authenticate(&input(Some(&by_email), "GET"), &fx, &throttle, NOW + 1)
            .unwrap_err()
            .status,
        429
    );
    let after = authenticate(&input(Some(&right), "GET"), &fx, &throttle, NOW + 300);
    assert_eq!(user_id(after), 3);
}

#[test]
fn throttle_trips_per_address_across_logins() {
    let fx = Fixture::new();
    let throttle = Throttle::new(3, 300);
    for login in ["admin", "ann", "nobody"] {
        let header = basic(login, "wrong");
        assert_eq!(
            authenticate(&input(Some(&header), "GET"), &fx, &throttle, NOW)
                .unwrap_err()
                .status,
            401
        );
    }
    let header = basic("bob", "bob-pass");
    let err = authenticate(&input(Some(&header), "GET"), &fx, &throttle, NOW).unwrap_err();
    assert_eq!(err.status, 429);
    // Another address is unaffected.
    let mut elsewhere = input(Some(&header), "GET");
    elsewhere.client_addr = Some(IpAddr::from([203, 0, 113, 9]));
    assert_eq!(user_id(authenticate(&elsewhere, &fx, &throttle, NOW)), 4);
}

#[test]
fn throttle_treats_unknown_and_known_logins_alike() {
    let fx = Fixture::new();
    let throttle = Throttle::new(2, 60);
    let mut lockouts = Vec::new();
    for (n, login) in ["admin", "nobody"].into_iter().enumerate() {
        let header = basic(login, "wrong");
        for _ in 0..2 {
            let mut request = input(Some(&header), "GET");
            request.client_addr = Some(IpAddr::from([198, 51, 100, n as u8]));
            let _ = authenticate(&request, &fx, &throttle, NOW);
        }
        let mut request = input(Some(&header), "GET");
        request.client_addr = Some(IpAddr::from([198, 51, 100, 50 + n as u8]));
        lockouts.push(authenticate(&request, &fx, &throttle, NOW).unwrap_err());
    }
    assert_eq!(lockouts[0], lockouts[1]);
}

#[test]
fn wrong_consumer_secrets_are_throttled_too() {
    let fx = Fixture::new();
    let throttle = Throttle::new(2, 60);
    let (key, secret) = &fx.keys["read_write"];
    let wrong = basic(key, "cs_wrong");
    for _ in 0..2 {
        let _ = authenticate(&input(Some(&wrong), "GET"), &fx, &throttle, NOW);
    }
    let right = basic(key, secret);
    let err = authenticate(&input(Some(&right), "GET"), &fx, &throttle, NOW).unwrap_err();
    assert_eq!(err.status, 429);
}

#[test]
fn phone_and_email_recognisers() {
    for phone in ["+44 (0)20 7946-0000", "555.0100", "#12_3/4"] {
        assert!(looks_like_phone(phone), "{phone}");
    }
    for not_phone in ["", "ann", "555-01a0"] {
        assert!(!looks_like_phone(not_phone), "{not_phone}");
    }
    for email in ["ann@example.test", "a.b+c@mail.example.co.uk"] {
        assert!(is_email(email), "{email}");
    }
    for not_email in [
        "a@b.c",
        "ann",
        "ann@localhost",
        "ann@exa..mple.com",
        "a n@example.com",
        "ann@-x.com",
    ] {
        assert!(!is_email(not_email), "{not_email}");
    }
}

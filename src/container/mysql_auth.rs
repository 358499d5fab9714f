//! MySQL's accounts as the simulated server keeps them: root's password,
//! set by the image's entrypoint from `MYSQL_ROOT_PASSWORD`, stored as
//! mysql_native_password does (`*` and SHA1(SHA1(password)) in hex) in
//! `mysql/user.MYD`, and checked when a client connects.

/// SHA-1 (FIPS 180-4) of `data`.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bits.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let next = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = next;
        }
        for (state, add) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(add);
        }
    }
    let mut out = [0u8; 20];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// `PASSWORD('…')` of MySQL 5.7: empty for no password.
pub fn native_hash(password: &str) -> String {
    if password.is_empty() {
        return String::new();
    }
    let twice = sha1(&sha1(password.as_bytes()));
    let hex: String = twice.iter().map(|b| format!("{b:02X}")).collect();
    format!("*{hex}")
}

/// The accounts file's text for root with this password hash.
pub fn accounts(hash: &str) -> String {
    format!("localhost\troot\t{hash}\n%\troot\t{hash}\n")
}

/// Whether `user` may connect with `password` by the accounts file.
pub fn allows(accounts: &str, user: &str, password: Option<&str>) -> bool {
    let given = native_hash(password.unwrap_or(""));
    accounts.lines().any(|line| {
        let mut fields = line.split('\t');
        let (_, name, hash) = (fields.next(), fields.next(), fields.next().unwrap_or(""));
        name == Some(user) && hash == given
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_mysql_password_does() {
        // SHA-1's own test vector, then MySQL 5.7's PASSWORD('secret').
        let abc: String = sha1(b"abc").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(abc, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            native_hash("secret"),
            "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7"
        );
        assert_eq!(native_hash(""), "");
        let file = accounts(&native_hash("secret"));
        assert!(allows(&file, "root", Some("secret")));
        assert!(!allows(&file, "root", None));
        assert!(!allows(&file, "bob", Some("secret")));
        assert!(allows(&accounts(""), "root", None));
    }
}

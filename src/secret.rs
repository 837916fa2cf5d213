//! Release builds need a secret key for private cookies. If none is configured, one is
//! generated once and kept in the data directory (never in the repository).
use rand::RngCore;
use rocket::figment::Figment;

use crate::app::Settings;
use crate::error::{Error, Result};

pub fn ensure_secret_key(figment: Figment, settings: &Settings) -> Result<Figment> {
    let release = figment.profile() == rocket::Config::RELEASE_PROFILE;
    // Rocket's defaults carry an all-zero key, which release builds refuse.
    let configured = figment
        .extract::<rocket::Config>()
        .map(|c| !c.secret_key.is_zero())
        .unwrap_or(false);
    if !release || configured {
        return Ok(figment);
    }
    let path = settings.data_dir.join("secret_key");
    let key = match std::fs::read_to_string(&path) {
        Ok(k) if k.trim().len() == 64 => k.trim().to_string(),
        _ => {
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            let key = hex::encode(bytes);
            std::fs::create_dir_all(&settings.data_dir)
                .and_then(|_| std::fs::write(&path, &key))
                .map_err(|e| {
                    Error::Internal(format!("cannot keep secret key in {}: {e}", path.display()))
                })?;
            key
        }
    };
    Ok(figment.merge(("secret_key", key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &std::path::Path) -> Settings {
        Settings {
            database_url: dir.join("db").display().to_string(),
            pool_size: 1,
            seed_on_empty: false,
            data_dir: dir.to_path_buf(),
            trusted_proxy_header: None,
            session_idle_minutes: 30,
            session_lifetime_hours: 12,
            secure_cookies: None,
            network_svg_max_nodes: crate::picture::SVG_MAX_NODES,
        }
    }

    #[test]
    fn release_builds_generate_one_key_and_keep_it() {
        let dir = std::env::temp_dir().join(format!("kp-secret-{}", uuid::Uuid::now_v7().simple()));
        let release = || {
            Figment::from(rocket::Config::release_default()).select(rocket::Config::RELEASE_PROFILE)
        };
        let first = ensure_secret_key(release(), &settings(&dir)).unwrap();
        let key: String = first.extract_inner("secret_key").unwrap();
        assert_eq!(key.len(), 64);
        let second = ensure_secret_key(release(), &settings(&dir)).unwrap();
        assert_eq!(
            second.extract_inner::<String>("secret_key").unwrap(),
            key,
            "kept, not regenerated"
        );
        let debug = Figment::from(rocket::Config::debug_default());
        let untouched = ensure_secret_key(debug, &settings(&dir)).unwrap();
        assert!(
            untouched.extract_inner::<String>("secret_key").is_err(),
            "debug builds use Rocket's own key"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}

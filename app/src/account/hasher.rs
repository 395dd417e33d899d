//! Password hashing on a small pool of dedicated threads (server only).
//!
//! argon2id with m = 19 MiB needs 19 MiB of working memory per hash. Hashed on the blocking
//! pool, every sign-in landed on another thread whose allocator arena kept its 19 MiB: 64
//! sign-ins 16 at a time left the server at 1.58 GB resident. Here, one thread per two cores
//! (at most four) each keep one buffer for their whole life and reuse it, so memory stays at
//! a few buffers however many people sign in; a flood waits in a short queue and, past it, is
//! told to come back (429) instead of taking the machine down. Half the cores, not all: with a
//! hashing thread per core, two sign-ins arriving together held both cores of the centre's
//! machine for tens of milliseconds and every page request waited behind them.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, LazyLock, Mutex};

/// argon2id with m = 19 MiB, t = 2, p = 1 (the OWASP baseline the design asks for).
pub fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

/// Jobs that may wait for a hashing thread; one more is refused with 429.
const QUEUE: usize = 32;

enum Work {
    Hash(String),
    /// A candidate password and the stored PHC string to check it against.
    Verify(String, String),
}

enum Done {
    Hashed(String),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: tokio::sync::oneshot::Sender<Result<Done, String>>,
}

struct Pool {
    queue: SyncSender<Job>,
}

static POOL: LazyLock<Pool> = LazyLock::new(|| {
    let (queue, jobs) = sync_channel::<Job>(QUEUE);
    let jobs = Arc::new(Mutex::new(jobs));
    let threads = std::thread::available_parallelism().map(|n| n.get() / 2).unwrap_or(1).clamp(1, 4);
    for i in 0..threads {
        let jobs = Arc::clone(&jobs);
        std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || work(&jobs)).expect("start a hashing thread");
    }
    Pool { queue }
});

fn work(jobs: &Mutex<Receiver<Job>>) {
    let params = params();
    let mut blocks = vec![Block::default(); params.block_count()];
    loop {
        let job = {
            let guard = jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match guard.recv() {
                Ok(job) => job,
                Err(_) => return, // the pool is gone: the process is ending
            }
        };
        let result = match job.work {
            Work::Hash(password) => hash_with(&mut blocks, &password).map(Done::Hashed),
            Work::Verify(candidate, stored) => Ok(Done::Verified(verify_with(&mut blocks, &candidate, &stored))),
        };
        let _ = job.reply.send(result);
    }
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `password`, computed in `blocks`.
fn hash_with(blocks: &mut [Block], password: &str) -> Result<String, String> {
    let params = params();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(|e| e.to_string())?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *blocks).map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `candidate` is the password of the PHC string `stored` (any argon2 parameters; the
/// buffer is reused when they are the portal's own).
fn verify_with(blocks: &mut [Block], candidate: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    let (Ok(algorithm), Ok(params), Some(expected), Some(salt)) =
        (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed), parsed.hash, parsed.salt)
    else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else { return false };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut own;
    let memory: &mut [Block] = if params.block_count() == blocks.len() {
        blocks
    } else {
        own = vec![Block::default(); params.block_count()];
        &mut own
    };
    let computed = Output::init_with(expected.len(), |out| {
        argon.hash_password_into_with_memory(candidate.as_bytes(), salt_bytes, out, &mut *memory).map_err(|_| argon2::password_hash::Error::Crypto)
    });
    // `Output` compares in constant time.
    computed.is_ok_and(|c| c == expected)
}

async fn run(work: Work) -> AppResult<Done> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    match POOL.queue.try_send(Job { work, reply }) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => return Err(AppError::TooManyAttempts { minutes: 1 }),
        Err(TrySendError::Disconnected(_)) => return Err(AppError::internal("the hashing threads are gone")),
    }
    answer.await.map_err(|_| AppError::internal("a hashing thread dropped its job"))?.map_err(|e| AppError::internal(format_args!("hashing failed: {e}")))
}

/// Hashes a new password.
pub async fn hash(password: &str) -> AppResult<String> {
    match run(Work::Hash(password.to_string())).await? {
        Done::Hashed(phc) => Ok(phc),
        Done::Verified(_) => Err(AppError::internal("a hash job answered as a check")),
    }
}

/// Checks a password against a stored hash.
pub async fn verify(candidate: &str, stored: String) -> AppResult<bool> {
    match run(Work::Verify(candidate.to_string(), stored)).await? {
        Done::Verified(ok) => Ok(ok),
        Done::Hashed(_) => Err(AppError::internal("a check job answered as a hash")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn the_pool_reads_hashes_made_the_usual_way_and_the_usual_way_reads_the_pools() {
        let mut blocks = vec![Block::default(); params().block_count()];
        let ours = hash_with(&mut blocks, "correct horse").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        assert!(standard.verify_password(b"correct horse", &PasswordHash::new(&ours).unwrap()).is_ok());
        let theirs = standard.hash_password(b"battery staple", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        assert!(verify_with(&mut blocks, "battery staple", &theirs));
        assert!(!verify_with(&mut blocks, "battery stapler", &theirs));
        assert!(!verify_with(&mut blocks, "x", "not a hash"));
        // Other parameters (an older hash) still check, with a buffer of their own.
        let light = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(1024, 1, 1, None).unwrap());
        let old = light.hash_password(b"old one", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        assert!(verify_with(&mut blocks, "old one", &old));
    }
}

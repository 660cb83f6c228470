//! `slb keys`: create, list and revoke the API keys `slb serve` accepts, in the server's store.
//!
//! A key's token is printed once, alone on the last line of `create`'s output, and never again:
//! the store keeps only its SHA-256. Revoking takes effect on the server's next request.

use std::path::PathBuf;

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use engine::model::Role;
use store::{ApiKey, KeyStore, NewApiKey, SqlStore, StoreError};

use crate::error::CliError;
use crate::{block_on, print_json, print_out};

#[derive(clap::Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
    #[command(flatten)]
    store: StoreArgs,
}

/// The store `slb serve` uses, chosen the same way.
#[derive(clap::Args)]
struct StoreArgs {
    /// Directory of the SQLite store (`slb.db`), used unless a database URL is given.
    #[arg(long, env = "SLB_DATA_DIR", default_value = "./data", global = true)]
    data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the SQLite file.
    #[arg(long, env = "SLB_DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
}

impl StoreArgs {
    async fn open(&self) -> Result<SqlStore, CliError> {
        let opened = match &self.database_url {
            Some(url) => SqlStore::open_url(url).await,
            None => SqlStore::open_sqlite_dir(&self.data_dir).await,
        };
        opened.map_err(|e| CliError::input(format!("cannot open the store: {e}")))
    }
}

#[derive(clap::Subcommand)]
enum KeysCommand {
    /// Create a key and print its token (shown only this once) on the last line.
    Create {
        /// The key's name: who or what uses it (shown as a run's `created_by`).
        name: String,
        /// viewer (reads), analyst (also runs planners and creates runs and sets) or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Limit the key to this fund (repeat for several); without it, every fund.
        #[arg(long = "fund", value_name = "FUND")]
        funds: Vec<String>,
    },
    /// List the keys: name, role, funds, created, revoked (never a token).
    List {
        /// Print the keys as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke the key of this name; servers refuse it from their next request on.
    Revoke { name: String },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub fn run(args: &KeysArgs) -> Result<(), CliError> {
    block_on(async {
        let store = args.store.open().await?;
        let result = match &args.command {
            KeysCommand::Create { name, role, funds } => create(&store, name, *role, funds).await,
            KeysCommand::List { json } => list(&store, *json).await,
            KeysCommand::Revoke { name } => revoke(&store, name).await,
        };
        store.close().await;
        result
    })?
}

async fn create(
    store: &SqlStore,
    name: &str,
    role: Role,
    funds: &[String],
) -> Result<(), CliError> {
    store::keys::check_key_name(name).map_err(CliError::input)?;
    if let Some(bad) = funds.iter().find(|f| f.trim().is_empty() || f.trim() != *f) {
        return Err(CliError::input(format!(
            "--fund {bad:?}: a fund id must not be empty or start or end with spaces"
        )));
    }
    let mut funds = funds.to_vec();
    funds.sort();
    funds.dedup();
    let key = NewApiKey {
        name: name.to_string(),
        role,
        funds: (!funds.is_empty()).then_some(funds),
        created_at: agent::clock::now_iso(),
    };
    let token = store.create_api_key(&key).await.map_err(|e| match e {
        StoreError::KeyNameTaken(_) => CliError::input(e.to_string()),
        other => CliError::failure(format!("cannot create the key: {other}")),
    })?;
    print_out(&format!(
        "Created API key {name:?}: {role}, {}.\n\
         Its token follows, shown only this once; send it as `Authorization: Bearer <token>`.\n\
         {token}\n",
        funds_text(key.funds.as_deref())
    ))
}

async fn list(store: &SqlStore, json: bool) -> Result<(), CliError> {
    let keys = store
        .list_api_keys()
        .await
        .map_err(|e| CliError::failure(format!("cannot list the keys: {e}")))?;
    if json {
        let rows: Vec<serde_json::Value> = keys
            .iter()
            .map(|k| {
                serde_json::json!({
                    "name": k.name,
                    "role": k.role,
                    "funds": k.funds,
                    "created_at": k.created_at,
                    "revoked_at": k.revoked_at,
                })
            })
            .collect();
        return print_json(&rows);
    }
    if keys.is_empty() {
        return print_out(
            "No API keys: `slb serve` is open to everyone on loopback addresses.\n\
             Create one with `slb keys create NAME --role viewer|analyst|admin [--fund F ...]`.\n",
        );
    }
    print_out(&format!("{}\n", table(&keys)))
}

fn table(keys: &[ApiKey]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "Name",
        "Role",
        "Funds",
        "Created (UTC)",
        "Revoked (UTC)",
    ]);
    for key in keys {
        t.add_row(vec![
            key.name.clone(),
            key.role.to_string(),
            key.funds
                .as_ref()
                .map_or_else(|| "all".to_string(), |f| f.join(", ")),
            when(&key.created_at),
            key.revoked_at.as_deref().map_or_else(|| "-".into(), when),
        ]);
    }
    t
}

/// `2026-11-24T10:00:05.123456+00:00` → `2026-11-24 10:00:05`.
fn when(timestamp: &str) -> String {
    timestamp
        .get(..19)
        .unwrap_or(timestamp)
        .replacen('T', " ", 1)
}

fn funds_text(funds: Option<&[String]>) -> String {
    match funds {
        None => "every fund".to_string(),
        Some([one]) => format!("fund {one}"),
        Some(many) => format!("funds {}", many.join(", ")),
    }
}

async fn revoke(store: &SqlStore, name: &str) -> Result<(), CliError> {
    let revoked = store
        .revoke_api_key(name, &agent::clock::now_iso())
        .await
        .map_err(|e| CliError::failure(format!("cannot revoke the key: {e}")))?;
    if !revoked {
        return Err(CliError::input(format!(
            "no active key named {name:?} (see `slb keys list`)"
        )));
    }
    print_out(&format!(
        "Revoked API key {name:?}: servers refuse it from their next request on.\n"
    ))
}

/// How `slb serve` authenticates (flattened into its arguments).
#[derive(clap::Args)]
pub struct AuthArgs {
    /// Serve a non-loopback address even though no API key exists, to everyone who can reach
    /// it. Without it `slb serve` refuses to: create a key (`slb keys create`) instead.
    #[arg(long, env = "SLB_INSECURE_NO_AUTH")]
    insecure_no_auth: bool,
    /// Trusted-proxy mode (an SSO gateway in front): the header naming the signed-in user, e.g.
    /// `X-Forwarded-User`. Honoured only from `--auth-proxy-addrs`; the user is an analyst of
    /// every fund unless a key of that name gives another role and funds.
    #[arg(long, env = "SLB_AUTH_PROXY_HEADER", requires = "auth_proxy_addrs")]
    auth_proxy_header: Option<String>,
    /// Addresses of the trusted proxies: IPs or networks, comma-separated
    /// (`10.0.0.5,192.168.0.0/16`).
    #[arg(long, env = "SLB_AUTH_PROXY_ADDRS", value_delimiter = ',', value_parser = server::auth::parse_network, requires = "auth_proxy_header")]
    auth_proxy_addrs: Vec<server::auth::IpNet>,
}

impl AuthArgs {
    /// The server's authentication for serving `host:port`, or why it must not start: on an
    /// address that is not loopback, with no key in the store and no trusted proxy, only with
    /// `--insecure-no-auth` (logged as a warning).
    pub async fn configure(
        &self,
        store: &dyn store::RunStore,
        host: &str,
        port: u16,
    ) -> Result<server::auth::AuthConfig, CliError> {
        let proxy = match &self.auth_proxy_header {
            Some(header) => Some(
                server::auth::ProxyAuth::new(header, self.auth_proxy_addrs.clone())
                    .map_err(|e| CliError::input(format!("--auth-proxy-header: {e}")))?,
            ),
            None => None,
        };
        let has_keys = store
            .has_api_keys()
            .await
            .map_err(|e| CliError::input(format!("cannot read the API keys: {e}")))?;
        let loopback = tokio::net::lookup_host((host, port))
            .await
            .map(|mut addrs| addrs.all(|a| a.ip().is_loopback()))
            .unwrap_or(false);
        match (&proxy, has_keys) {
            (Some(proxy), _) => tracing::info!(
                header = %proxy.header,
                proxies = ?self.auth_proxy_addrs,
                "authentication: API keys, and the trusted proxy's user header"
            ),
            (None, true) => tracing::info!("authentication: API keys required"),
            (None, false) if loopback => tracing::info!(
                "authentication: none (open mode: no API keys, loopback only); \
                 `slb keys create` makes keys required"
            ),
            (None, false) if self.insecure_no_auth => tracing::warn!(
                "AUTHENTICATION DISABLED (--insecure-no-auth): serving {host} with no API keys, \
                 so anyone who can reach it can read every run and run planners"
            ),
            (None, false) => {
                return Err(CliError::input(format!(
                    "refusing to serve {host} without authentication: no API keys exist. \
                     Create one with `slb keys create NAME --role admin` (same --data-dir or \
                     --database-url), configure a trusted proxy (SLB_AUTH_PROXY_HEADER and \
                     SLB_AUTH_PROXY_ADDRS), listen on 127.0.0.1, or pass --insecure-no-auth \
                     to serve everyone"
                )));
            }
        }
        Ok(server::auth::AuthConfig { proxy })
    }
}

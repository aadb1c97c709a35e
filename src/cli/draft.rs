//! Drafting statements from flags, signing them in turn, and showing them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::{Args, Subcommand};

use super::keyfiles;
use crate::crypto::{self, GeneralJws, KeyId, STATEMENT_TYP};
use crate::domain::{
    BoundedText, CalendarDate, ChannelKind, ChannelPolicyBody, Common, DelegatedKey,
    DelegationBody, Entity, EntityBody, FeePolicyBody, GenuineDocumentBody, GroupCompany, LangTag,
    LangText, NoticeBody, OfficialChannelBody, OrgBody, OrgSlug, Person, PracticeBody,
    PracticeKind, RevocationBody, Role, Sha256Hex, SignatoryBody, SigningPolicyBody, Statement,
    StatementBody, StatementId, StatementType, Timestamp, Token, Uscc, WarningBody, WarningKind,
};

/// The fields every statement has.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// The organisation's slug.
    #[arg(long)]
    pub org: String,
    /// The statement id (default: the type and a random suffix).
    #[arg(long)]
    pub id: Option<String>,
    /// In force from (RFC 3339; default now).
    #[arg(long)]
    pub effective_from: Option<String>,
    /// In force until (RFC 3339).
    #[arg(long)]
    pub effective_until: Option<String>,
    /// Ids of statements of the same type that this one replaces; repeatable.
    #[arg(long)]
    pub supersedes: Vec<String>,
    /// Where to write the draft (default: ID.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `bonafide statement new <type>`: one subcommand per statement type.
#[derive(Debug, Subcommand)]
pub enum NewStatement {
    /// An organisation (signed by the operator).
    Org {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// A name as LANG=TEXT (`en="ACME Group"`); repeatable.
        #[arg(long = "name", required = true)]
        names: Vec<String>,
        /// A Unified Social Credit Code; repeatable.
        #[arg(long = "uscc")]
        usccs: Vec<String>,
        /// An official domain; repeatable.
        #[arg(long = "domain")]
        domains: Vec<String>,
        /// A root key's public key file; repeatable.
        #[arg(long = "root-key", required = true)]
        root_keys: Vec<PathBuf>,
        /// A threshold as TYPE=N (`signatory=2`); repeatable. Unlisted types need 2.
        #[arg(long = "threshold")]
        thresholds: Vec<String>,
    },
    /// Staff keys with roles (signed by the organisation's root keys).
    Delegation {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// A staff key as PUBLIC_KEY_FILE=HOLDER (`alice.pub.jwk="Alice Chen"`); repeatable.
        #[arg(long = "staff", required = true)]
        staff: Vec<String>,
        /// A role granted to every key listed; repeatable. One of admin, channels, documents,
        /// group, notices, policies, signatories, warnings.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// When the grant ends (RFC 3339; default one year from now).
        #[arg(long)]
        expires: Option<String>,
    },
    /// Who may perform which actions.
    SigningPolicy {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// An action covered (`sign_investment_agreement`); repeatable.
        #[arg(long = "action", required = true)]
        actions: Vec<String>,
        /// Only the registered signatories may perform these actions.
        #[arg(long)]
        exhaustive: bool,
        /// The policy as LANG=TEXT; repeatable.
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
    },
    /// Which fees the organisation charges.
    FeePolicy {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// A fee kind charged (`management_fee`); repeatable.
        #[arg(long = "allow")]
        allowed: Vec<String>,
        /// No other fee is ever charged.
        #[arg(long)]
        exhaustive: bool,
        /// The policy as LANG=TEXT; repeatable.
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
    },
    /// A person who may act for the organisation.
    Signatory {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The person's name as LANG=TEXT; repeatable.
        #[arg(long = "name", required = true)]
        names: Vec<String>,
        /// Another name the person is known by; repeatable.
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// The entity represented, as LANG=TEXT; repeatable.
        #[arg(long = "entity-name", required = true)]
        entity_names: Vec<String>,
        /// The entity's Unified Social Credit Code.
        #[arg(long)]
        entity_uscc: Option<String>,
        /// The person's role (`legal_representative`).
        #[arg(long)]
        role: String,
        /// An action the person may perform; repeatable.
        #[arg(long = "action", default_value = "sign_investment_agreement")]
        actions: Vec<String>,
        /// A registered phone number; repeatable.
        #[arg(long = "phone")]
        phones: Vec<String>,
        /// A registered email address; repeatable.
        #[arg(long = "email")]
        emails: Vec<String>,
    },
    /// Which channel kinds the official channels cover completely.
    ChannelPolicy {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// A channel kind (phone, email, website, bank_account, address, wechat); repeatable.
        #[arg(long = "kind", required = true)]
        kinds: Vec<String>,
        /// Every channel of these kinds is listed.
        #[arg(long)]
        exhaustive: bool,
        /// The policy as LANG=TEXT; repeatable.
        #[arg(long = "text")]
        texts: Vec<String>,
    },
    /// One official channel.
    OfficialChannel {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The kind (phone, email, website, bank_account, address, wechat).
        #[arg(long)]
        kind: String,
        /// The value.
        #[arg(long)]
        value: String,
        /// What it is for, as LANG=TEXT; repeatable.
        #[arg(long = "label")]
        labels: Vec<String>,
    },
    /// A known impersonator's identifier.
    Warning {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The kind (a channel kind, person or company).
        #[arg(long)]
        kind: String,
        /// The identifier.
        #[arg(long)]
        value: String,
        /// What is known, as LANG=TEXT; repeatable.
        #[arg(long = "description", required = true)]
        descriptions: Vec<String>,
        /// For a company: every company it controls is warned about too.
        #[arg(long)]
        includes_controlled: bool,
    },
    /// A practice the organisation never follows.
    Practice {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The practice: no_personal_account_payment, no_personal_messaging, no_app,
        /// no_retail_investment, no_account_freezing, no_mandate_by_message or
        /// tenders_on_platform.
        #[arg(long)]
        practice: String,
        /// The organisation's own words, as LANG=TEXT; repeatable.
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
        /// For tenders_on_platform: the tender platform's website.
        #[arg(long)]
        platform: Option<String>,
    },
    /// Companies of the group.
    Entity {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// A company as FIELD=VALUE pairs separated by `|`: its names by language, then
        /// optionally `uscc=` and `parent=` (the controlling company's USCC), such as
        /// `en=IUCG Third Bureau Co., Ltd.|zh=国际联合建设第三工程局有限公司|uscc=...`;
        /// repeatable.
        #[arg(long = "company", required = true)]
        companies: Vec<String>,
        /// The companies of the `entity` statements in force are all the group's.
        #[arg(long)]
        exhaustive: bool,
        /// The statement in words, as LANG=TEXT; repeatable.
        #[arg(long = "text")]
        texts: Vec<String>,
    },
    /// A notice for the news page.
    Notice {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The title as LANG=TEXT; repeatable.
        #[arg(long = "title", required = true)]
        titles: Vec<String>,
        /// The text as LANG=TEXT; repeatable.
        #[arg(long = "text", required = true)]
        texts: Vec<String>,
    },
    /// A genuine document, hashed locally (the file never leaves this machine).
    GenuineDocument {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The document.
        #[arg(long)]
        file: PathBuf,
        /// Its title as LANG=TEXT; repeatable.
        #[arg(long = "title", required = true)]
        titles: Vec<String>,
        /// A party to it; repeatable.
        #[arg(long = "party")]
        parties: Vec<String>,
        /// The date it bears (YYYY-MM-DD).
        #[arg(long)]
        date: String,
    },
    /// Withdraws a statement.
    Revocation {
        /// Common fields.
        #[command(flatten)]
        common: CommonArgs,
        /// The id of the statement revoked.
        #[arg(long)]
        revokes: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
}

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds()
}

/// Parses `LANG=TEXT` flags into a text by language.
pub(crate) fn lang_text(flag: &str, values: &[String]) -> anyhow::Result<LangText> {
    let mut entries = BTreeMap::new();
    for value in values {
        let (lang, text) = value
            .split_once('=')
            .ok_or_else(|| anyhow!("--{flag} {value:?}: write LANG=TEXT, such as en=\"...\""))?;
        entries.insert(
            LangTag::parse(lang).with_context(|| format!("--{flag}"))?,
            BoundedText::parse(text).with_context(|| format!("--{flag}"))?,
        );
    }
    LangText::try_from(entries).with_context(|| format!("--{flag}"))
}

/// A `--company` value: `LANG=NAME` pairs, `uscc=` and `parent=`, separated by `|`.
fn group_company(value: &str) -> anyhow::Result<GroupCompany> {
    let mut names = Vec::new();
    let (mut uscc, mut parent) = (None, None);
    for part in value.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some(("uscc", v)) => uscc = Some(Uscc::parse(v.trim()).context("--company uscc")?),
            Some(("parent", v)) => {
                parent = Some(Uscc::parse(v.trim()).context("--company parent")?);
            }
            _ => names.push(part.to_owned()),
        }
    }
    Ok(GroupCompany {
        names: lang_text("company", &names)?,
        uscc,
        parent,
    })
}

fn optional_lang_text(flag: &str, values: &[String]) -> anyhow::Result<Option<LangText>> {
    if values.is_empty() {
        Ok(None)
    } else {
        lang_text(flag, values).map(Some)
    }
}

fn texts(flag: &str, values: &[String]) -> anyhow::Result<Vec<BoundedText>> {
    values
        .iter()
        .map(|v| BoundedText::parse(v).with_context(|| format!("--{flag}")))
        .collect()
}

fn tokens(flag: &str, values: &[String]) -> anyhow::Result<Vec<Token>> {
    values
        .iter()
        .map(|v| Token::parse(v).with_context(|| format!("--{flag}")))
        .collect()
}

fn serde_enum<T: serde::de::DeserializeOwned>(flag: &str, value: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|e| anyhow!("--{flag} {value:?}: {e}"))
}

fn timestamp(flag: &str, value: Option<&str>, default: Timestamp) -> anyhow::Result<Timestamp> {
    value.map_or(Ok(default), |v| {
        Timestamp::parse(v).with_context(|| format!("--{flag}"))
    })
}

fn common(args: &CommonArgs, kind: StatementType, now: Timestamp) -> anyhow::Result<Common> {
    let id = match &args.id {
        Some(id) => StatementId::parse(id)?,
        None => {
            let suffix: u32 = rand::random();
            StatementId::parse(&format!(
                "{}-{}-{suffix:08x}",
                kind.as_str(),
                now.unix_seconds()
            ))?
        }
    };
    Ok(Common {
        id,
        org: OrgSlug::parse(&args.org).context("--org")?,
        issued_at: now,
        effective_from: timestamp("effective-from", args.effective_from.as_deref(), now)?,
        effective_until: args
            .effective_until
            .as_deref()
            .map(Timestamp::parse)
            .transpose()
            .context("--effective-until")?,
        supersedes: args
            .supersedes
            .iter()
            .map(|s| StatementId::parse(s))
            .collect::<Result<_, _>>()
            .context("--supersedes")?,
    })
}

/// Builds the statement a `statement new` command describes.
pub(crate) fn build(
    new: &NewStatement,
    now: Timestamp,
) -> anyhow::Result<(Statement, Option<PathBuf>)> {
    let (args, body) = match new {
        NewStatement::Org {
            common,
            names,
            usccs,
            domains,
            root_keys,
            thresholds,
        } => {
            let mut parsed = BTreeMap::new();
            for t in thresholds {
                let (kind, n) = t.split_once('=').ok_or_else(|| {
                    anyhow!("--threshold {t:?}: write TYPE=N, such as signatory=2")
                })?;
                let kind: StatementType = kind.parse()?;
                let n: u8 = n.parse().with_context(|| format!("--threshold {t:?}"))?;
                parsed.insert(kind, n);
            }
            let body = OrgBody {
                names: lang_text("name", names)?,
                registration_numbers: usccs
                    .iter()
                    .map(|u| Uscc::parse(u))
                    .collect::<Result<_, _>>()
                    .context("--uscc")?,
                official_domains: texts("domain", domains)?,
                root_keys: root_keys
                    .iter()
                    .map(|p| keyfiles::read_public(p))
                    .collect::<anyhow::Result<_>>()?,
                thresholds: parsed,
            };
            (common, StatementBody::Org(body))
        }
        NewStatement::Delegation {
            common,
            staff,
            roles,
            expires,
        } => {
            let roles = roles
                .iter()
                .map(|r| r.parse::<Role>())
                .collect::<Result<Vec<_>, _>>()
                .context("--role")?;
            let expires_at = timestamp(
                "expires",
                expires.as_deref(),
                now.saturating_add(time::Duration::days(365)),
            )?;
            let keys = staff
                .iter()
                .map(|s| {
                    let (file, holder) = s.split_once('=').ok_or_else(|| {
                        anyhow!("--staff {s:?}: write PUBLIC_KEY_FILE=HOLDER, such as alice.pub.jwk=\"Alice Chen\"")
                    })?;
                    Ok(DelegatedKey {
                        key: keyfiles::read_public(Path::new(file))?,
                        holder: BoundedText::parse(holder).context("--staff holder")?,
                        roles: roles.clone(),
                        expires_at,
                    })
                })
                .collect::<anyhow::Result<_>>()?;
            (common, StatementBody::Delegation(DelegationBody { keys }))
        }
        NewStatement::SigningPolicy {
            common,
            actions,
            exhaustive,
            texts,
        } => (
            common,
            StatementBody::SigningPolicy(SigningPolicyBody {
                actions: tokens("action", actions)?,
                exhaustive: *exhaustive,
                text: lang_text("text", texts)?,
            }),
        ),
        NewStatement::FeePolicy {
            common,
            allowed,
            exhaustive,
            texts,
        } => (
            common,
            StatementBody::FeePolicy(FeePolicyBody {
                allowed_fees: tokens("allow", allowed)?,
                exhaustive: *exhaustive,
                text: lang_text("text", texts)?,
            }),
        ),
        NewStatement::Signatory {
            common,
            names,
            aliases,
            entity_names,
            entity_uscc,
            role,
            actions,
            phones,
            emails,
        } => (
            common,
            StatementBody::Signatory(SignatoryBody {
                person: Person {
                    names: lang_text("name", names)?,
                    aliases: texts("alias", aliases)?,
                },
                entity: Entity {
                    names: lang_text("entity-name", entity_names)?,
                    uscc: entity_uscc
                        .as_deref()
                        .map(Uscc::parse)
                        .transpose()
                        .context("--entity-uscc")?,
                },
                role: Token::parse(role).context("--role")?,
                actions: tokens("action", actions)?,
                phones: texts("phone", phones)?,
                emails: texts("email", emails)?,
            }),
        ),
        NewStatement::ChannelPolicy {
            common,
            kinds,
            exhaustive,
            texts,
        } => (
            common,
            StatementBody::ChannelPolicy(ChannelPolicyBody {
                kinds: kinds
                    .iter()
                    .map(|k| serde_enum::<ChannelKind>("kind", k))
                    .collect::<anyhow::Result<_>>()?,
                exhaustive: *exhaustive,
                text: optional_lang_text("text", texts)?,
            }),
        ),
        NewStatement::OfficialChannel {
            common,
            kind,
            value,
            labels,
        } => (
            common,
            StatementBody::OfficialChannel(OfficialChannelBody {
                kind: serde_enum("kind", kind)?,
                value: BoundedText::parse(value).context("--value")?,
                label: optional_lang_text("label", labels)?,
            }),
        ),
        NewStatement::Warning {
            common,
            kind,
            value,
            descriptions,
            includes_controlled,
        } => (
            common,
            StatementBody::Warning(WarningBody {
                kind: serde_enum::<WarningKind>("kind", kind)?,
                value: BoundedText::parse(value).context("--value")?,
                description: lang_text("description", descriptions)?,
                includes_controlled: *includes_controlled,
            }),
        ),
        NewStatement::Practice {
            common,
            practice,
            texts,
            platform,
        } => (
            common,
            StatementBody::Practice(PracticeBody {
                practice: serde_enum::<PracticeKind>("practice", practice)?,
                text: lang_text("text", texts)?,
                platform: platform
                    .as_deref()
                    .map(|p| BoundedText::parse(p).context("--platform"))
                    .transpose()?,
            }),
        ),
        NewStatement::Entity {
            common,
            companies,
            exhaustive,
            texts,
        } => (
            common,
            StatementBody::Entity(EntityBody {
                companies: companies
                    .iter()
                    .map(|c| group_company(c))
                    .collect::<anyhow::Result<_>>()?,
                exhaustive: *exhaustive,
                text: optional_lang_text("text", texts)?,
            }),
        ),
        NewStatement::Notice {
            common,
            titles,
            texts,
        } => (
            common,
            StatementBody::Notice(NoticeBody {
                title: lang_text("title", titles)?,
                text: lang_text("text", texts)?,
            }),
        ),
        NewStatement::GenuineDocument {
            common,
            file,
            titles,
            parties,
            date,
        } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            (
                common,
                StatementBody::GenuineDocument(GenuineDocumentBody {
                    sha256: Sha256Hex::from_bytes(crypto::sha256(&bytes)),
                    title: lang_text("title", titles)?,
                    parties: texts("party", parties)?,
                    date: CalendarDate::parse(date).context("--date")?,
                }),
            )
        }
        NewStatement::Revocation {
            common,
            revokes,
            reason,
        } => (
            common,
            StatementBody::Revocation(RevocationBody {
                revokes: StatementId::parse(revokes).context("--revokes")?,
                reason: BoundedText::parse(reason).context("--reason")?,
            }),
        ),
    };
    let statement = Statement {
        common: common(args, body.kind(), now)?,
        body,
    };
    // Round-trip through the parser, so that the draft obeys every rule a server applies to it.
    let value = serde_json::to_value(&statement)?;
    let statement = Statement::from_value(value)?;
    Ok((statement, args.out.clone()))
}

/// The unsigned JWS of `statement`, over its RFC 8785 canonical bytes.
pub(crate) fn draft(statement: &Statement) -> anyhow::Result<GeneralJws> {
    Ok(GeneralJws::new(&crypto::canonicalize(statement)?))
}

pub(super) fn new(new: NewStatement) -> anyhow::Result<()> {
    let (statement, out) = build(&new, now())?;
    let jws = draft(&statement)?;
    let path = out.unwrap_or_else(|| PathBuf::from(format!("{}.json", statement.common.id)));
    write_jws(&path, &jws, true)?;
    println!(
        "drafted {} statement {} for {} in {}\nnext: bonafide statement sign {} --key YOUR.key",
        statement.kind(),
        statement.common.id,
        statement.common.org,
        path.display(),
        path.display()
    );
    Ok(())
}

fn write_jws(path: &Path, jws: &GeneralJws, create: bool) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(jws)? + "\n";
    if create && path.exists() {
        bail!(
            "{} exists; choose another --out or remove it",
            path.display()
        );
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn read_jws(path: &Path) -> anyhow::Result<(GeneralJws, Statement)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let jws = GeneralJws::parse(&bytes, STATEMENT_TYP)
        .with_context(|| format!("{} is not a statement JWS", path.display()))?;
    let statement = Statement::from_json(
        std::str::from_utf8(jws.payload()).context("the payload is not UTF-8")?,
    )
    .with_context(|| format!("{} holds an invalid statement", path.display()))?;
    Ok((jws, statement))
}

pub(super) fn sign(path: &Path, key_path: &Path) -> anyhow::Result<()> {
    let (mut jws, statement) = read_jws(path)?;
    let key = keyfiles::read_private(key_path)?;
    if jws.headers().iter().any(|h| h.kid == *key.id()) {
        bail!("{} is already signed by key {}", path.display(), key.id());
    }
    jws.sign(&key, STATEMENT_TYP);
    write_jws(path, &jws, false)?;
    println!(
        "signed {} statement {} with key {}: {} signature(s)",
        statement.kind(),
        statement.common.id,
        key.id(),
        jws.headers().len()
    );
    Ok(())
}

pub(super) fn show(path: &Path) -> anyhow::Result<()> {
    let (jws, statement) = read_jws(path)?;
    println!("{}", serde_json::to_string_pretty(&statement)?);
    let kids: Vec<&KeyId> = jws.headers().iter().map(|h| &h.kid).collect();
    if kids.is_empty() {
        println!("not signed yet");
    }
    for kid in kids {
        println!("signed by key {kid} (not verified here; the server verifies on submit)");
    }
    Ok(())
}

-- Registry core. Ids are UUIDv7 text made in Rust; dates are partial ISO 8601 text;
-- timestamps are RFC 3339 UTC text so that both backends sort them the same way.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    legal_form TEXT,
    parent_id TEXT REFERENCES organisations(id),
    city TEXT,
    country TEXT,
    founded TEXT,
    dissolved TEXT,
    register_court TEXT,
    register_number TEXT,
    website TEXT,
    description TEXT,
    self_description TEXT,
    working_principle TEXT,
    member_count_min INTEGER,
    member_count_max INTEGER,
    orientation TEXT,
    country_focus TEXT,
    purposes TEXT NOT NULL DEFAULT '',
    functions TEXT NOT NULL DEFAULT '',
    composition TEXT,
    resource_modes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX organisations_identity ON organisations (lower(name), kind, coalesce(lower(city), '')) WHERE deleted_at IS NULL;
CREATE INDEX organisations_city ON organisations (city);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    is_pseudonym BOOLEAN NOT NULL DEFAULT FALSE,
    visibility TEXT NOT NULL,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX persons_identity ON persons (lower(display_name)) WHERE deleted_at IS NULL;

CREATE TABLE fundings (
    id TEXT PRIMARY KEY NOT NULL,
    funder_id TEXT NOT NULL REFERENCES organisations(id),
    recipient_id TEXT NOT NULL REFERENCES organisations(id),
    programme TEXT,
    purpose TEXT,
    amount_min BIGINT,
    amount_max BIGINT,
    currency TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    project_bound BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX fundings_identity ON fundings (funder_id, recipient_id, coalesce(programme, ''), coalesce(start_date, '')) WHERE deleted_at IS NULL;
CREATE INDEX fundings_recipient ON fundings (recipient_id);

CREATE TABLE funding_partners (
    funding_id TEXT NOT NULL REFERENCES fundings(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (funding_id, organisation_id, role)
);

CREATE TABLE affiliations (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    title TEXT,
    start_date TEXT,
    end_date TEXT,
    paid BOOLEAN,
    project_bound BOOLEAN NOT NULL DEFAULT FALSE,
    fields_of_work TEXT NOT NULL DEFAULT '',
    funding_id TEXT REFERENCES fundings(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX affiliations_identity ON affiliations (person_id, organisation_id, role, coalesce(start_date, '')) WHERE deleted_at IS NULL;
CREATE INDEX affiliations_organisation ON affiliations (organisation_id);

CREATE TABLE relations (
    id TEXT PRIMARY KEY NOT NULL,
    source_id TEXT NOT NULL REFERENCES organisations(id),
    target_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    approx_size INTEGER,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX relations_identity ON relations (source_id, target_id, kind, coalesce(start_date, '')) WHERE deleted_at IS NULL;
CREATE INDEX relations_target ON relations (target_id);

CREATE TABLE sources (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    accessed_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX sources_identity ON sources (lower(title)) WHERE deleted_at IS NULL;

-- A citation ties any record to a source with a locator such as "4.3.2, I4.31".
CREATE TABLE citations (
    id TEXT PRIMARY KEY NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    locator TEXT NOT NULL
);
CREATE INDEX citations_record ON citations (record_kind, record_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Append-only audit log: one row per write, in the write's transaction.
CREATE TABLE changes (
    id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX changes_record ON changes (record_kind, record_id);

-- Bumped first in every write transaction: it takes the write lock early (no SQLite
-- lock upgrade deadlocks) and tells graph snapshots that they are stale.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);

-- Which seed records have been loaded, so that seeding twice changes nothing.
CREATE TABLE seed_records (
    seed_key TEXT PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL
);

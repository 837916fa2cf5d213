// Diesel table definitions, written to match both migration sets.
diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        short_name -> Nullable<Text>,
        kind -> Text,
        legal_form -> Nullable<Text>,
        parent_id -> Nullable<Text>,
        city -> Nullable<Text>,
        country -> Nullable<Text>,
        founded -> Nullable<Text>,
        dissolved -> Nullable<Text>,
        register_court -> Nullable<Text>,
        register_number -> Nullable<Text>,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        self_description -> Nullable<Text>,
        working_principle -> Nullable<Text>,
        member_count_min -> Nullable<Integer>,
        member_count_max -> Nullable<Integer>,
        orientation -> Nullable<Text>,
        country_focus -> Nullable<Text>,
        purposes -> Text,
        functions -> Text,
        composition -> Nullable<Text>,
        resource_modes -> Text,
        created_at -> Text,
        updated_at -> Text,
        deleted_at -> Nullable<Text>,
        identity_key -> Text,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        display_name -> Text,
        is_pseudonym -> Bool,
        visibility -> Text,
        notes -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        deleted_at -> Nullable<Text>,
        identity_key -> Text,
    }
}

diesel::table! {
    fundings (id) {
        id -> Text,
        funder_id -> Text,
        recipient_id -> Text,
        programme -> Nullable<Text>,
        purpose -> Nullable<Text>,
        amount_min -> Nullable<BigInt>,
        amount_max -> Nullable<BigInt>,
        currency -> Text,
        start_date -> Nullable<Text>,
        end_date -> Nullable<Text>,
        project_bound -> Bool,
        status -> Text,
        created_at -> Text,
        updated_at -> Text,
        deleted_at -> Nullable<Text>,
    }
}

diesel::table! {
    funding_partners (funding_id, organisation_id, role) {
        funding_id -> Text,
        organisation_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    affiliations (id) {
        id -> Text,
        person_id -> Text,
        organisation_id -> Text,
        role -> Text,
        title -> Nullable<Text>,
        start_date -> Nullable<Text>,
        end_date -> Nullable<Text>,
        paid -> Nullable<Bool>,
        project_bound -> Bool,
        fields_of_work -> Text,
        funding_id -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        deleted_at -> Nullable<Text>,
    }
}

diesel::table! {
    relations (id) {
        id -> Text,
        source_id -> Text,
        target_id -> Text,
        kind -> Text,
        start_date -> Nullable<Text>,
        end_date -> Nullable<Text>,
        approx_size -> Nullable<Integer>,
        description -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        deleted_at -> Nullable<Text>,
    }
}

diesel::table! {
    sources (id) {
        id -> Text,
        title -> Text,
        url -> Nullable<Text>,
        accessed_on -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        deleted_at -> Nullable<Text>,
        identity_key -> Text,
    }
}

diesel::table! {
    citations (id) {
        id -> Text,
        source_id -> Text,
        record_kind -> Text,
        record_id -> Text,
        locator -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        created_at -> Text,
        disabled_at -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> Text,
        last_seen_at -> Text,
        ended_at -> Nullable<Text>,
        ended_why -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Text,
        revoked_at -> Nullable<Text>,
    }
}

diesel::table! {
    changes (id) {
        id -> Text,
        at -> Text,
        user_id -> Nullable<Text>,
        record_kind -> Text,
        record_id -> Text,
        action -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        version -> Nullable<BigInt>,
    }
}

diesel::table! {
    data_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    seed_records (seed_key) {
        seed_key -> Text,
        record_kind -> Text,
        record_id -> Text,
    }
}

diesel::table! {
    person_reads (id) {
        id -> Text,
        at -> Text,
        user_id -> Text,
        person_id -> Text,
        via -> Text,
    }
}

diesel::table! {
    erased_persons (person_id) {
        person_id -> Text,
        erased_at -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    persons,
    fundings,
    funding_partners,
    affiliations,
    relations,
    sources,
    citations,
    users,
    api_tokens,
    sessions,
    changes,
    person_reads,
    erased_persons,
    data_version,
    seed_records,
);

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(person_reads -> users (user_id));
diesel::joinable!(erased_persons -> persons (person_id));
diesel::joinable!(funding_partners -> fundings (funding_id));

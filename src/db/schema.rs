//! Table definitions shared by the SQLite and PostgreSQL backends (only types both support).

diesel::table! {
    users (id) {
        id -> BigInt,
        handle -> Text,
        email -> Text,
        name -> Text,
        title -> Text,
        bio -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        session_version -> Integer,
        suspended_until -> Nullable<Timestamp>,
        reputation -> Integer,
        created_at -> Timestamp,
        email_verified -> Bool,
        locale -> Nullable<Text>,
        time_zone -> Nullable<Text>,
        digest_hour -> Integer,
        daily_digest_at -> Nullable<Timestamp>,
        weekly_digest_at -> Nullable<Timestamp>,
        silenced_until -> Nullable<Timestamp>,
        flags_agreed -> Integer,
        flags_dismissed -> Integer,
        trust_level -> Integer,
        trust_locked -> Bool,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        session_version -> Integer,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
        thread_count -> Integer,
        created_at -> Timestamp,
        first_response_minutes -> Nullable<Integer>,
        private_questions -> Text,
        business_hours -> Nullable<Text>,
    }
}

diesel::table! {
    site_settings (name) {
        name -> Text,
        value -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        thread_count -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        category_id -> BigInt,
        author_id -> BigInt,
        title -> Text,
        status -> Text,
        accepted_post_id -> Nullable<BigInt>,
        answer_count -> Integer,
        score -> Integer,
        has_staff_answer -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_activity_at -> Timestamp,
        duplicate_of_id -> Nullable<BigInt>,
        view_count -> BigInt,
        similar_asked -> Integer,
        first_response_at -> Nullable<Timestamp>,
        first_response_by -> Nullable<BigInt>,
        first_response_staff -> Bool,
        respond_by -> Nullable<Timestamp>,
        assignee_id -> Nullable<BigInt>,
        assigned_group_id -> Nullable<BigInt>,
        followup_at -> Nullable<Timestamp>,
        staff_reply_at -> Nullable<Timestamp>,
        locked_at -> Nullable<Timestamp>,
        lock_reason -> Text,
        pinned_at -> Nullable<Timestamp>,
        state -> Text,
        unlisted_at -> Nullable<Timestamp>,
        merged_into_id -> Nullable<BigInt>,
        close_reason -> Text,
        privacy -> Text,
        staff_requested_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    thread_tags (thread_id, tag_id) {
        thread_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> BigInt,
        kind -> Text,
        body_md -> Text,
        body_html -> Text,
        body_text -> Text,
        render_version -> Integer,
        score -> Integer,
        revision_count -> Integer,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        html_bytes -> Integer,
        state -> Text,
        state_reason -> Text,
        state_at -> Nullable<Timestamp>,
        recommended_by -> Nullable<BigInt>,
        recommended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> BigInt,
        post_id -> BigInt,
        editor_id -> BigInt,
        number -> Integer,
        title -> Nullable<Text>,
        body_md -> Text,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        post_id -> BigInt,
        author_id -> BigInt,
        body_md -> Text,
        body_html -> Text,
        body_text -> Text,
        render_version -> Integer,
        created_at -> Timestamp,
        html_bytes -> Integer,
        state -> Text,
        state_reason -> Text,
        state_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    votes (post_id, user_id) {
        post_id -> BigInt,
        user_id -> BigInt,
        value -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        kind -> Text,
        actor_id -> Nullable<BigInt>,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        article_id -> Nullable<BigInt>,
        subject_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    event_cursors (consumer) {
        consumer -> Text,
        position -> BigInt,
        applied -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (key) {
        key -> Text,
        tat -> Timestamp,
        strikes -> Integer,
        blocked_until -> Nullable<Timestamp>,
        rev -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    oauth_used_states (state_hash) {
        state_hash -> Text,
        used_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));

diesel::table! {
    event_leases (consumer) {
        consumer -> Text,
        holder -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    kb_sections (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kb_articles (id) {
        id -> BigInt,
        section_id -> BigInt,
        title -> Text,
        body_md -> Text,
        body_html -> Text,
        body_text -> Text,
        render_version -> Integer,
        status -> Text,
        applies_to -> Text,
        source_thread_id -> Nullable<BigInt>,
        source_post_id -> Nullable<BigInt>,
        author_id -> BigInt,
        verified_by_id -> BigInt,
        verified_at -> Timestamp,
        review_by -> Timestamp,
        revision_count -> Integer,
        helpful_yes -> Integer,
        helpful_no -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    kb_revisions (id) {
        id -> BigInt,
        article_id -> BigInt,
        number -> Integer,
        editor_id -> BigInt,
        title -> Text,
        section_id -> BigInt,
        applies_to -> Text,
        body_md -> Text,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kb_feedback (id) {
        id -> BigInt,
        article_id -> BigInt,
        voter -> Text,
        user_id -> Nullable<BigInt>,
        helpful -> Bool,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    identities (id) {
        id -> BigInt,
        user_id -> BigInt,
        provider -> Text,
        issuer -> Text,
        subject -> Text,
        email -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_groups (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff_group_members (group_id, user_id) {
        group_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    thread_events (id) {
        id -> BigInt,
        thread_id -> BigInt,
        kind -> Text,
        actor_id -> BigInt,
        assignee_id -> Nullable<BigInt>,
        group_id -> Nullable<BigInt>,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    promises (id) {
        id -> BigInt,
        thread_id -> BigInt,
        staff_id -> BigInt,
        due_at -> Timestamp,
        note -> Text,
        created_at -> Timestamp,
        kept_at -> Nullable<Timestamp>,
        kept_by -> Nullable<BigInt>,
        kept_post_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    customer_setups (id) {
        id -> BigInt,
        user_id -> BigInt,
        category_id -> BigInt,
        version -> Text,
        platform -> Text,
        notes -> Text,
        private -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    thread_setups (id) {
        id -> BigInt,
        thread_id -> BigInt,
        setup_id -> Nullable<BigInt>,
        category_id -> BigInt,
        version -> Text,
        platform -> Text,
        notes -> Text,
        private -> Bool,
    }
}

diesel::table! {
    thread_visits (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        seen_at -> Timestamp,
    }
}

diesel::joinable!(staff_group_members -> staff_groups (group_id));
diesel::joinable!(staff_group_members -> users (user_id));
diesel::joinable!(thread_events -> threads (thread_id));
diesel::joinable!(promises -> threads (thread_id));
diesel::joinable!(promises -> users (staff_id));
diesel::joinable!(customer_setups -> users (user_id));
diesel::joinable!(customer_setups -> categories (category_id));
diesel::joinable!(thread_setups -> threads (thread_id));
diesel::joinable!(thread_setups -> categories (category_id));
diesel::joinable!(identities -> users (user_id));
diesel::joinable!(kb_articles -> kb_sections (section_id));
diesel::joinable!(kb_revisions -> kb_articles (article_id));
diesel::joinable!(kb_revisions -> users (editor_id));
diesel::joinable!(kb_feedback -> kb_articles (article_id));
diesel::joinable!(kb_feedback -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(threads -> categories (category_id));
diesel::joinable!(threads -> users (author_id));
diesel::joinable!(thread_tags -> threads (thread_id));
diesel::joinable!(thread_tags -> tags (tag_id));
diesel::joinable!(posts -> threads (thread_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(post_revisions -> posts (post_id));
diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(votes -> posts (post_id));

diesel::table! {
    reputation_ledger (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        amount -> Integer,
        source -> Text,
        post_id -> Nullable<BigInt>,
        thread_id -> Nullable<BigInt>,
        category_id -> Nullable<BigInt>,
        day -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_days (user_id, day) {
        user_id -> BigInt,
        day -> Text,
    }
}

diesel::table! {
    badge_awards (id) {
        id -> BigInt,
        user_id -> BigInt,
        badge -> Text,
        source -> Text,
        post_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    helper_totals (category_id, period, user_id) {
        category_id -> BigInt,
        user_id -> BigInt,
        period -> Text,
        accepted -> Integer,
        reputation -> Integer,
    }
}

diesel::table! {
    thread_vectors (thread_id, role) {
        thread_id -> BigInt,
        role -> Text,
        model -> Text,
        text_hash -> Text,
        vector -> Binary,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(held_edits -> posts (post_id));
diesel::joinable!(thread_vectors -> threads (thread_id));
diesel::joinable!(badge_awards -> users (user_id));
diesel::joinable!(helper_totals -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_tokens,
    settings,
    categories,
    tags,
    threads,
    thread_tags,
    posts,
    post_revisions,
    comments,
    votes,
    events,
    event_cursors,
    event_leases,
    sessions,
    rate_limits,
    oauth_used_states,
    search_log,
    kb_sections,
    kb_articles,
    kb_revisions,
    kb_feedback,
    identities,
    staff_groups,
    staff_group_members,
    thread_events,
    promises,
    customer_setups,
    thread_setups,
    thread_visits,
    notifications,
    thread_watches,
    category_watches,
    tag_watches,
    notification_prefs,
    email_jobs,
    email_tokens,
    audit_log,
    flags,
    held_edits,
    watched_words,
    reputation_ledger,
    user_days,
    badge_awards,
    helper_totals,
    thread_vectors,
);

diesel::table! {
    search_log (id) {
        id -> BigInt,
        search_id -> Text,
        query -> Text,
        filters -> Text,
        result_count -> Integer,
        clicked -> Nullable<Text>,
        session -> Text,
        source -> Text,
        created_at -> Timestamp,
        best_score -> Nullable<Double>,
        top_result -> Nullable<Text>,
        ask_session -> Nullable<Text>,
        visit_last -> Bool,
        visit_opened -> Bool,
    }
}

diesel::table! {
    ask_posts (id) {
        id -> BigInt,
        ask_session -> Text,
        thread_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(ask_posts, search_log);

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        event_id -> BigInt,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    thread_watches (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        level -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    category_watches (user_id, category_id) {
        user_id -> BigInt,
        category_id -> BigInt,
        level -> Text,
    }
}

diesel::table! {
    tag_watches (user_id, tag_id) {
        user_id -> BigInt,
        tag_id -> BigInt,
        level -> Text,
    }
}

diesel::table! {
    notification_prefs (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        delivery -> Text,
    }
}

diesel::table! {
    email_jobs (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        to_address -> Text,
        kind -> Text,
        notification_id -> Nullable<BigInt>,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        headers -> Text,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        send_after -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        email -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(notifications -> threads (thread_id));
diesel::joinable!(thread_watches -> threads (thread_id));
diesel::joinable!(category_watches -> categories (category_id));
diesel::joinable!(tag_watches -> tags (tag_id));

diesel::table! {
    flags (id) {
        id -> BigInt,
        target -> Text,
        target_id -> BigInt,
        thread_id -> Nullable<BigInt>,
        category_id -> Nullable<BigInt>,
        flagger_id -> Nullable<BigInt>,
        reason -> Text,
        note -> Text,
        duplicate_of_id -> Nullable<BigInt>,
        weight -> Integer,
        status -> Text,
        resolved_by -> Nullable<BigInt>,
        resolved_at -> Nullable<Timestamp>,
        outcome_reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    held_edits (id) {
        id -> BigInt,
        post_id -> BigInt,
        editor_id -> BigInt,
        title -> Nullable<Text>,
        tags -> Nullable<Text>,
        body_md -> Text,
        summary -> Text,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    watched_words (id) {
        id -> BigInt,
        pattern -> Text,
        is_regex -> Bool,
        action -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        event_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        object_kind -> Text,
        object_id -> Nullable<BigInt>,
        reason -> Text,
        before -> Text,
        after -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        uploader_id -> BigInt,
        sha256 -> Text,
        filename -> Text,
        mime -> Text,
        kind -> Text,
        size_bytes -> BigInt,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        post_id -> Nullable<BigInt>,
        comment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(attachments -> users (uploader_id));
diesel::allow_tables_to_appear_in_same_query!(attachments, users);
diesel::allow_tables_to_appear_in_same_query!(attachments, posts);
diesel::allow_tables_to_appear_in_same_query!(attachments, comments);

//! Q&A pages: home, categories, tags, profiles, a thread, asking, answering, commenting, editing,
//! history, voting, accepting, closing. Handlers parse input, make one database hop into the
//! `threads` / `catalog` modules, and render or redirect.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::render::{cached_page, page_response, PageTitle};
use super::session::{CsrfForm, HasCsrf, SignedIn, Viewer};
use super::AppState;
use crate::accounts;
use crate::catalog::{self, Category, Tag};
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::notify::watch::Topic;
use crate::render::markdown;
use crate::threads::{
    self, CommentBody, ListFilter, MarkdownBody, NewQuestion, Paging, PostEdit, Profile, Sort,
    Status, ThreadDetail, ThreadList, Title,
};

pub use super::render::see_other;

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Query of thread lists.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub tab: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

impl ListQuery {
    fn filter(&self) -> AppResult<ListFilter> {
        let mut f = ListFilter {
            page: self.page.unwrap_or(1),
            ..Default::default()
        };
        f.sort = Sort::parse(self.sort.as_deref().unwrap_or(""))?;
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            f.status = Some(Status::parse(s)?);
        }
        Ok(f)
    }
}

/// `home.html`: the front page.
#[derive(Serialize)]
pub struct HomePage {
    /// `recent`, `unanswered` or `solved`.
    pub tab: String,
    /// activity, newest or votes (kept across pages).
    pub sort: Sort,
    pub list: ThreadList,
    pub categories: Vec<Category>,
    /// Self-service first: the admins' intro (rendered Markdown) above the search box, and the
    /// top knowledge-base sections.
    pub intro_html: String,
    pub kb_sections: Vec<crate::kb::SectionArticles>,
}

/// Knowledge-base sections on the home page, and articles listed per section.
const HOME_KB_SECTIONS: usize = 6;
const HOME_KB_ARTICLES: usize = 3;

impl PageTitle for HomePage {
    fn title(&self) -> Msg {
        msg!("title-home")
    }
}

pub async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let tab = q.tab.clone().unwrap_or_else(|| "recent".into());
    let mut filter = q.filter()?;
    filter.status = match tab.as_str() {
        "recent" => filter.status,
        "unanswered" => Some(Status::Open),
        "solved" => Some(Status::Solved),
        other => return Err(AppError::invalid(msg!("threads-unknown-tab", tab = other))),
    };
    let intro_html = state.site().intro_html.clone();
    cached_page(&state, &req, &viewer, "home.html", move |conn, _| {
        Ok(HomePage {
            tab,
            sort: filter.sort,
            list: threads::list_threads(conn, &filter)?,
            categories: catalog::list_categories(conn)?,
            intro_html,
            kb_sections: crate::kb::home_sections(conn, HOME_KB_SECTIONS, HOME_KB_ARTICLES)?,
        })
    })
    .await
}

/// `categories.html`: every category with its thread count.
#[derive(Serialize)]
pub struct CategoriesPage {
    pub categories: Vec<Category>,
}

impl PageTitle for CategoriesPage {
    fn title(&self) -> Msg {
        msg!("title-categories")
    }
}

pub async fn categories(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    cached_page(&state, &req, &viewer, "categories.html", |conn, _| {
        Ok(CategoriesPage {
            categories: catalog::list_categories(conn)?,
        })
    })
    .await
}

/// `category.html`: one category's threads.
#[derive(Serialize)]
pub struct CategoryPage {
    pub category: Category,
    pub list: ThreadList,
    /// Active status filter, empty for all.
    pub status: String,
    pub sort: Sort,
    /// The signed-in reader's watch on it (`watching`, `first_post`, `none`).
    pub watch: Option<&'static str>,
    /// This week's top helpers in it: peers, then staff.
    pub leaders: (Vec<Leader>, Vec<Leader>),
}

impl PageTitle for CategoryPage {
    fn title(&self) -> Msg {
        Msg::text(&self.category.name)
    }
}

pub async fn category(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let mut filter = q.filter()?;
    let status = q.status.clone().unwrap_or_default();
    let slug = slug.into_inner();
    cached_page(&state, &req, &viewer, "category.html", move |conn, user| {
        let category = catalog::find_category_by_slug(conn, &slug)?;
        filter.category_id = Some(category.id);
        let sort = filter.sort;
        let watch = topic_watch(conn, user, Topic::Category(category.id))?;
        Ok(CategoryPage {
            watch,
            leaders: crate::peers::ledger::leaders(conn, Some(category.id), "week", 5)?,
            list: threads::list_threads(conn, &filter)?,
            category,
            status,
            sort,
        })
    })
    .await
}

/// A signed-in reader's watch on a category or tag (None for visitors: no form).
fn topic_watch(
    conn: &mut crate::db::DbConn,
    user: Option<&crate::accounts::User>,
    topic: Topic,
) -> AppResult<Option<&'static str>> {
    Ok(match user {
        Some(u) => Some(crate::notify::watch::topic_level(conn, u.id, topic)?.as_str()),
        None => None,
    })
}

/// `tags.html`: the most used tags.
#[derive(Serialize)]
pub struct TagsPage {
    pub tags: Vec<Tag>,
}

impl PageTitle for TagsPage {
    fn title(&self) -> Msg {
        msg!("title-tags")
    }
}

pub async fn tags(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    cached_page(&state, &req, &viewer, "tags.html", |conn, _| {
        Ok(TagsPage {
            tags: catalog::list_tags(conn, 200)?,
        })
    })
    .await
}

/// `tag.html`: threads with one tag.
#[derive(Serialize)]
pub struct TagPage {
    pub tag: Tag,
    pub sort: Sort,
    pub list: ThreadList,
    /// The signed-in reader's watch on it (`watching`, `first_post`, `none`).
    pub watch: Option<&'static str>,
}

impl PageTitle for TagPage {
    fn title(&self) -> Msg {
        msg!("title-tag", tag = &self.tag.name)
    }
}

pub async fn tag(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    name: web::Path<String>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let mut filter = q.filter()?;
    let name = name.into_inner();
    cached_page(&state, &req, &viewer, "tag.html", move |conn, user| {
        let tag = catalog::find_tag(conn, &name)?;
        filter.tag_id = Some(tag.id);
        let watch = topic_watch(conn, user, Topic::Tag(tag.id))?;
        Ok(TagPage {
            watch,
            list: threads::list_threads(conn, &filter)?,
            tag,
            sort: filter.sort,
        })
    })
    .await
}

/// `user.html`: a user's public profile.
#[derive(Serialize)]
pub struct ProfilePage {
    pub profile: Profile,
    /// The newest reputation changes, and what was earned per day over the last year.
    pub reputation: Vec<crate::peers::ledger::Entry>,
    pub reputation_days: Vec<(String, i64)>,
    /// The most earned in one day of that year (the chart's scale).
    pub reputation_peak: i64,
    pub trust_level: i32,
    pub badges: Vec<crate::peers::badges::Held>,
}

impl PageTitle for ProfilePage {
    fn title(&self) -> Msg {
        Msg::text(&self.profile.user.name)
    }
}

pub async fn profile(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    handle: web::Path<String>,
) -> AppResult<HttpResponse> {
    let handle = handle.into_inner();
    cached_page(&state, &req, &viewer, "user.html", move |conn, _| {
        let user = accounts::find_by_handle(conn, &handle)?;
        let since = (crate::db::now() - chrono::TimeDelta::days(365)).date();
        let reputation_days = crate::peers::ledger::by_day(conn, user.id, since)?;
        Ok(ProfilePage {
            profile: threads::profile(conn, &user)?,
            reputation: crate::peers::ledger::history(conn, user.id, 30)?,
            reputation_peak: reputation_days
                .iter()
                .map(|d| d.1.abs())
                .max()
                .unwrap_or(0)
                .max(1),
            reputation_days,
            trust_level: user.trust_level,
            badges: crate::peers::badges::held_by(conn, user.id)?.0,
        })
    })
    .await
}

use crate::peers::ledger::Leader;

/// `people.html`: the top helpers of the site for a period, peers and staff apart.
#[derive(Serialize)]
pub struct PeoplePage {
    pub period: String,
    pub category: Option<Category>,
    pub categories: Vec<Category>,
    pub peers: Vec<Leader>,
    pub staff: Vec<Leader>,
}

impl PageTitle for PeoplePage {
    fn title(&self) -> Msg {
        msg!("title-people")
    }
}

#[derive(Deserialize)]
pub struct PeopleQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub category: String,
}

/// `GET /people?period=week|month|all&category=`
pub async fn people(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    q: web::Query<PeopleQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let period = if q.period.is_empty() {
        "week".to_string()
    } else {
        q.period
    };
    cached_page(&state, &req, &viewer, "people.html", move |conn, _| {
        let category = match q.category.trim() {
            "" => None,
            key => Some(catalog::resolve_category(conn, key)?),
        };
        let (peers, staff) =
            crate::peers::ledger::leaders(conn, category.as_ref().map(|c| c.id), &period, 20)?;
        Ok(PeoplePage {
            period,
            category,
            categories: catalog::list_categories(conn)?,
            peers,
            staff,
        })
    })
    .await
}

/// `user-card.html`: the card over a name.
#[derive(Serialize)]
pub struct CardPage {
    pub user: threads::AuthorView,
    pub badges: crate::peers::badges::Counts,
}

/// `badges.html`: the catalogue with how many hold each.
#[derive(Serialize)]
pub struct BadgesPage {
    pub badges: Vec<(crate::peers::badges::Badge, i64)>,
}

impl PageTitle for BadgesPage {
    fn title(&self) -> Msg {
        msg!("title-badges")
    }
}

/// A badge holder as listed.
#[derive(Serialize)]
pub struct Holder {
    pub handle: String,
    pub name: String,
    pub at: chrono::NaiveDateTime,
}

/// `badge.html`: one badge and who holds it.
#[derive(Serialize)]
pub struct BadgePage {
    pub badge: crate::peers::badges::Badge,
    pub holders: Vec<Holder>,
}

impl PageTitle for BadgePage {
    fn title(&self) -> Msg {
        msg!("badge-name", badge = self.badge.id)
    }
}

/// `GET /badges`
pub async fn badges(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    cached_page(&state, &req, &viewer, "badges.html", move |conn, _| {
        Ok(BadgesPage {
            badges: crate::peers::badges::catalogue(conn)?,
        })
    })
    .await
}

/// `GET /badges/{id}`
pub async fn badge(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    cached_page(&state, &req, &viewer, "badge.html", move |conn, _| {
        let (badge, rows) = crate::peers::badges::holders(conn, &id, 200)?;
        Ok(BadgePage {
            badge,
            holders: rows
                .into_iter()
                .map(|(u, at)| Holder {
                    handle: u.handle.clone(),
                    name: u.display_name().to_string(),
                    at,
                })
                .collect(),
        })
    })
    .await
}

impl PageTitle for CardPage {
    fn title(&self) -> Msg {
        Msg::text(self.user.name.clone())
    }
}

/// `GET /u/{handle}/card`: the small card the page script shows over a name (cached like any
/// anonymous page).
pub async fn user_card(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    handle: web::Path<String>,
) -> AppResult<HttpResponse> {
    let handle = handle.into_inner();
    cached_page(&state, &req, &viewer, "user-card.html", move |conn, _| {
        let user = accounts::find_by_handle(conn, &handle)?;
        Ok(CardPage {
            badges: crate::peers::badges::held_by(conn, user.id)?.1,
            user: threads::AuthorView::from(&user),
        })
    })
    .await
}

/// The thread actions a viewer's trust level unlocks (the team has them all).
#[derive(Serialize, Default)]
pub struct Community {
    pub move_threads: bool,
    pub close: bool,
    pub merge: bool,
    pub lock: bool,
    pub any: bool,
}

/// `thread.html`: a question with one page of its answers (`thread.pages` says which, with the
/// links to the others) and their comments.
#[derive(Serialize)]
pub struct ThreadPage {
    pub thread: ThreadDetail,
    /// Absolute canonical URL of this page (page 1: the thread's URL, no query).
    pub canonical_url: String,
    /// The question in a line or two of plain text (description and link-preview meta).
    pub description: String,
    /// schema.org `QAPage` JSON-LD, safe to print inside `<script type="application/ld+json">`;
    /// empty after page 1 (the question is described once, on its canonical page).
    pub json_ld: String,
    /// Its knowledge-base article, the thread it duplicates, whether the viewer may promote.
    pub kb: crate::kb::ThreadKb,
    /// Timeline, first-response target, attached setup, promises, what is new since the last
    /// visit; for staff also the assignment and the customer context panel.
    pub support: crate::support::context::ThreadSupport,
    /// The language the question is written in (`en`, `de`), as search detects it: the
    /// question's and answers' `lang` attribute.
    pub language: &'static str,
    /// The signed-in reader's watch level on the thread (`watching`, `normal`, `muted`).
    pub watch_level: Option<&'static str>,
    /// Categories to move the thread to (moderators only; empty for others).
    pub move_targets: Vec<crate::catalog::Category>,
    /// What a trusted member may do here as a community moderator (trust levels 3 and 4).
    pub community: Community,
    /// Solved threads and articles on the same matter ("Related questions").
    pub related: Vec<crate::search::Hit>,
    /// Threads this one may repeat, for those who may merge (empty for others).
    pub duplicates: Vec<crate::search::Hit>,
}

/// schema.org `QAPage` for search engines: the question, the accepted and suggested answers.
/// Characters of a page's description meta (search engines show about this many).
pub const DESCRIPTION_CHARS: usize = 200;

fn qa_page_json_ld(thread: &ThreadDetail, canonical_url: &str) -> String {
    let answer = |p: &threads::PostView| {
        serde_json::json!({
            "@type": "Answer",
            "text": p.body_text,
            "upvoteCount": p.score,
            "dateCreated": format!("{}Z", p.created_at.format("%Y-%m-%dT%H:%M:%S")),
            "url": format!("{canonical_url}#post-{}", p.id),
            "author": {"@type": "Person", "name": p.author.name},
        })
    };
    let mut question = serde_json::json!({
        "@type": "Question",
        "name": thread.title,
        "text": thread.question.body_text,
        "answerCount": thread.answer_count,
        "upvoteCount": thread.score,
        "dateCreated": format!("{}Z", thread.created_at.format("%Y-%m-%dT%H:%M:%S")),
        "author": {"@type": "Person", "name": thread.author.name},
    });
    if thread.author.anonymous {
        if let Some(q) = question.as_object_mut() {
            q.remove("author");
        }
    }
    if let Some(accepted) = thread.answers.iter().find(|a| a.accepted) {
        question["acceptedAnswer"] = answer(accepted);
    }
    let suggested: Vec<_> = thread
        .answers
        .iter()
        .filter(|a| !a.accepted)
        .map(answer)
        .collect();
    if !suggested.is_empty() {
        question["suggestedAnswer"] = serde_json::Value::Array(suggested);
    }
    let doc = serde_json::json!({"@context": "https://schema.org", "@type": "QAPage", "mainEntity": question});
    script_safe_json(&doc)
}

/// JSON for a `<script type="application/ld+json">` element: no `<`, `>` or `&` inside, so
/// `</script>` or `<!--` in user text cannot end or confuse it. JSON reads the escapes as the
/// same characters.
pub fn script_safe_json(doc: &serde_json::Value) -> String {
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

impl PageTitle for ThreadPage {
    fn title(&self) -> Msg {
        Msg::text(&self.thread.title)
    }
}

/// Related questions (and possible duplicates) shown beside a thread.
const RELATED: usize = 5;

/// `?page=` of a thread page.
#[derive(Deserialize)]
pub struct ThreadQuery {
    pub page: Option<i64>,
}

pub async fn thread(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
    q: web::Query<ThreadQuery>,
) -> AppResult<HttpResponse> {
    let (id, slug) = path.into_inner();
    let paging = Paging::parse(q.page, None)?;
    let base = state.base_url.clone();
    let s = state.clone();
    // The visit is as of before the page is read: anything written meanwhile is new next time.
    let visit_at = crate::db::now();
    // Opening a thread reads what it notified about: the bell then counts what is left.
    let mut viewer = viewer;
    if let (Some(user), true) = (&viewer.user, viewer.unread > 0) {
        let uid = user.id;
        viewer.unread = state
            .db
            .write_untracked_async(move |conn| {
                crate::notify::seen_thread(conn, uid, id)?;
                crate::notify::unread_count(conn, uid)
            })
            .await?;
    }
    let gate = super::session::gate(&req, &state);
    let resp = cached_page(&state, &req, &viewer, "thread.html", move |conn, user| {
        use crate::screen::Privilege;
        let seen_at = match user {
            Some(u) => s.visits.last_seen(conn, u.id, id)?,
            None => None,
        };
        let mut view = crate::support::thread_view(conn, id, user, seen_at, paging)?;
        let may = |p: Privilege| user.is_some_and(|u| gate.allows(u, p));
        let community = Community {
            move_threads: may(Privilege::MoveThreads),
            close: may(Privilege::Close),
            merge: may(Privilege::Merge),
            lock: may(Privilege::Lock),
            any: may(Privilege::MoveThreads)
                || may(Privilege::Close)
                || may(Privilege::Merge)
                || may(Privilege::Lock),
        };
        // Trusted members edit others' posts too (kept as revisions).
        if may(Privilege::EditOthers) {
            let t = &mut view.thread;
            for p in std::iter::once(&mut t.question)
                .chain(t.followups.iter_mut())
                .chain(t.answers.iter_mut())
            {
                p.can_edit = true;
            }
        }
        if !view.thread.url.ends_with(&format!("/{slug}")) {
            return Err(AppError::Moved(view.thread.pages.url));
        }
        let canonical_url = format!("{base}{}", view.thread.pages.url);
        let language = crate::search::schema::detect_language(&format!(
            "{} {}",
            view.thread.title, view.thread.question.body_text
        ))
        .code();
        let watch_level = match user {
            Some(u) => Some(crate::notify::watch::thread_level(conn, u.id, id)?.as_str()),
            None => None,
        };
        let move_targets = if community.move_threads {
            crate::catalog::list_categories(conn)?
        } else {
            Vec::new()
        };
        let related = crate::search::related(
            &s.search,
            id,
            &view.thread.title,
            RELATED,
            Some(language.to_string()),
        )?;
        let duplicates = if community.merge {
            crate::search::duplicates(&s.search, id, RELATED)?
        } else {
            Vec::new()
        };
        Ok(ThreadPage {
            related,
            duplicates,
            community,
            move_targets,
            watch_level,
            language,
            json_ld: if paging.page == 1 {
                qa_page_json_ld(&view.thread, &canonical_url)
            } else {
                String::new()
            },
            description: crate::render::markdown::excerpt(
                &view.thread.question.body_text,
                DESCRIPTION_CHARS,
            ),
            kb: view.kb,
            support: view.support,
            canonical_url,
            thread: view.thread,
        })
    })
    .await?;
    let visit_due = match &viewer.user {
        Some(u) => state.visits.record(u.id, id, visit_at),
        None => false,
    };
    if state.views.record(id) || visit_due {
        let s = state.clone();
        actix_web::rt::spawn(async move {
            let _ = web::block(move || {
                s.views.flush(&s.db);
                s.visits.flush(&s.db);
            })
            .await;
        });
    }
    Ok(resp)
}

/// `/t/{id}` without a slug: redirect to the canonical URL.
pub async fn thread_short(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let user = viewer.user;
    let thread = state
        .db
        .read(move |conn| threads::visible_thread(conn, id, user.as_ref()))
        .await?;
    Err(AppError::Moved(thread.path()))
}

/// `/p/{id}`: a post's permalink, redirecting to the page of its thread it is on now (votes and
/// new answers move answers between pages).
pub async fn post_permalink(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let user = viewer.user;
    let path = state
        .db
        .read(move |conn| threads::post_path(conn, id, user.as_ref()))
        .await?;
    Ok(see_other(path))
}

/// The ask form's values (kept when re-shown with an error).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub tags: String,
    /// `preview` re-shows the form with the rendered body; anything else posts.
    #[serde(default)]
    pub action: String,
    /// This visit to the ask page (`insights::AskSession`): its lookups and the question it
    /// posts are counted together on the self-service dashboard.
    #[serde(default)]
    pub ask_session: String,
    /// "Only staff can see this" ticked (`1`).
    #[serde(default)]
    pub private: String,
    /// The setup fields (`setup_shown`, `setup_{id}_*`, `setup_new_*`), read by
    /// `support::setup::from_form`.
    #[serde(flatten)]
    pub setup: std::collections::HashMap<String, String>,
}

impl HasCsrf for AskForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `ask.html`: the ask form.
#[derive(Serialize)]
pub struct AskPage {
    pub categories: Vec<Category>,
    pub form: AskForm,
    /// Why the last submit was refused.
    pub error: Option<Msg>,
    /// Rendered body when previewing (sanitised HTML).
    pub preview_html: Option<String>,
    /// Solved threads and articles similar to the title.
    pub similar: Vec<crate::search::Hit>,
    /// The asker's own open threads: "Is this about one of these?"
    pub own_threads: Vec<super::search_pages::OwnThread>,
    /// The lookup behind `similar`: suggestion links go through
    /// `/search/click/{similar_search_id}/…`, so an opened suggestion is counted.
    pub similar_search_id: Option<String>,
    /// The asker pressed "Check for similar questions" (the no-JavaScript path).
    pub checked_similar: bool,
    /// The asker's saved setup, the most recently updated first, each with whether it is
    /// attached and its (editable) values.
    pub setup: Vec<AskSetupRow>,
    /// A new setup entry for this question (blank unless re-shown).
    pub new_setup: AskSetupRow,
    /// A question carries at most this many setup entries (more ticked: a new entry and the
    /// most recently updated go).
    pub max_setup: usize,
}

/// A setup entry on the ask form.
#[derive(Serialize, Default)]
pub struct AskSetupRow {
    /// The saved entry (None: the new-entry row).
    pub entry: Option<crate::support::setup::SetupView>,
    pub attach: bool,
    pub version: String,
    pub platform: String,
    pub notes: String,
    pub private: bool,
    /// New entry: save it to my setup too.
    pub remember: bool,
}

/// The ask form's setup rows, the most recently updated first: as submitted when re-shown, else
/// the saved entries with those of the chosen product ticked (as many as a question carries,
/// the most recently updated).
fn ask_setup_rows(
    mut saved: Vec<crate::support::setup::SetupView>,
    form: &AskForm,
    category: &str,
) -> (Vec<AskSetupRow>, AskSetupRow) {
    let shown = form.setup.contains_key("setup_shown");
    let get = |k: String| form.setup.get(&k).cloned().unwrap_or_default();
    let on = |k: String| form.setup.get(&k).is_some_and(|v| !v.is_empty());
    saved.sort_by_key(|e| std::cmp::Reverse((e.updated_at, e.id)));
    let mut ticked = 0;
    let rows = saved
        .into_iter()
        .map(|e| {
            let id = e.id;
            if shown {
                AskSetupRow {
                    attach: on(format!("setup_{id}_attach")),
                    version: get(format!("setup_{id}_version")),
                    platform: get(format!("setup_{id}_platform")),
                    notes: get(format!("setup_{id}_notes")),
                    private: on(format!("setup_{id}_private")),
                    remember: false,
                    entry: Some(e),
                }
            } else {
                let attach =
                    e.product.slug == category && ticked < crate::support::setup::MAX_ATTACHED;
                ticked += usize::from(attach);
                AskSetupRow {
                    attach,
                    version: e.version.clone(),
                    platform: e.platform.clone(),
                    notes: e.notes.clone(),
                    private: e.private,
                    remember: false,
                    entry: Some(e),
                }
            }
        })
        .collect();
    let new = AskSetupRow {
        entry: None,
        attach: true,
        version: get("setup_new_version".into()),
        platform: get("setup_new_platform".into()),
        notes: get("setup_new_notes".into()),
        private: on("setup_new_private".into()),
        // Remembered unless the asker unticked it.
        remember: !shown || on("setup_new_remember".into()),
    };
    (rows, new)
}

#[derive(Deserialize)]
pub struct AskQuery {
    pub category: Option<String>,
    pub title: Option<String>,
}

pub async fn ask_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    q: web::Query<AskQuery>,
) -> AppResult<HttpResponse> {
    let form = AskForm {
        category: q.category.clone().unwrap_or_default(),
        title: q.title.clone().unwrap_or_default(),
        ask_session: crate::insights::AskSession::new().as_str().to_string(),
        ..Default::default()
    };
    ask_again(&state, &req, &viewer, &user, form, None).await
}

/// Shows the ask form again: with a preview, similar questions for the title, the asker's own
/// open threads, and the error that stopped the last submit.
async fn ask_again(
    state: &AppState,
    req: &HttpRequest,
    viewer: &Viewer,
    user: &crate::accounts::User,
    mut form: AskForm,
    mut error: Option<AppError>,
) -> AppResult<HttpResponse> {
    let owner = user.id;
    let (categories, saved) = state
        .db
        .read(move |conn| {
            Ok((
                catalog::list_categories(conn)?,
                crate::support::setup::saved_entries(conn, owner, true)?,
            ))
        })
        .await?;
    let chosen = if form.category.is_empty() {
        categories
            .first()
            .map(|c| c.slug.clone())
            .unwrap_or_default()
    } else {
        form.category.clone()
    };
    let (setup, new_setup) = ask_setup_rows(saved, &form, &chosen);
    let mut preview_html = None;
    if error.is_none() && form.action == "preview" {
        // A preview of what would be refused on posting says why instead.
        match markdown::render(&form.body) {
            Ok(r) => preview_html = Some(r.html),
            Err(e) => error = Some(e),
        }
    }
    // A form without a well-formed visit id (an old page, a hand-made post) starts a new
    // visit: bookkeeping never stands in the asker's way.
    let ask_session = match crate::insights::AskSession::parse(&form.ask_session) {
        Ok(Some(s)) => s,
        _ => crate::insights::AskSession::new(),
    };
    form.ask_session = ask_session.as_str().to_string();
    let similar =
        super::search_pages::similar_for(state, req, Some(user), &form.title, Some(&ask_session))
            .await
            .unwrap_or_default();
    let status = error.as_ref().map(actix_web::ResponseError::status_code);
    form.csrf.clear();
    let page = AskPage {
        categories,
        checked_similar: form.action == "similar",
        form,
        error: error.and_then(|e| e.message()),
        preview_html,
        similar: similar.hits,
        similar_search_id: similar.search_id,
        own_threads: similar.own,
        setup,
        new_setup,
        max_setup: crate::support::setup::MAX_ATTACHED,
    };
    let mut resp = page_response(
        state,
        req,
        Some(viewer),
        "ask.html",
        &page,
        msg!("title-ask"),
    )?;
    if let Some(status) = status {
        *resp.status_mut() = status;
    }
    Ok(resp)
}

pub async fn ask(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    CsrfForm(form): CsrfForm<AskForm>,
) -> AppResult<HttpResponse> {
    if form.action == "preview" || form.action == "similar" {
        return ask_again(&state, &req, &viewer, &user, form, None).await;
    }
    let parsed = (|| {
        Ok::<_, AppError>(NewQuestion {
            title: Title::parse(&form.title)?,
            body: MarkdownBody::parse(&form.body)?,
            tags: catalog::parse_tags(&[form.tags.as_str()])?,
            private: !form.private.is_empty(),
        })
    })();
    let question = match parsed {
        Ok(q) => q,
        Err(e) => return ask_again(&state, &req, &viewer, &user, form, Some(e)).await,
    };
    let attach = match crate::support::setup::from_form(&form.setup) {
        Ok(a) => a.unwrap_or(crate::support::setup::Attach::Auto),
        Err(e) => return ask_again(&state, &req, &viewer, &user, form, Some(e)).await,
    };
    let category_key = form.category.clone();
    let asker = user.clone();
    let gate = super::session::gate(&req, &state);
    // A malformed visit id is not worth refusing a question over: it just goes uncounted.
    let ask_session = crate::insights::AskSession::parse(&form.ask_session)
        .ok()
        .flatten();
    let result = state
        .db
        .write(move |conn| {
            let asked = crate::support::ask(conn, &gate, &asker, &category_key, question, attach)?;
            if let Some(session) = &ask_session {
                crate::insights::record_posted(conn, session, asked.thread.id)?;
            }
            Ok(asked)
        })
        .await;
    match result {
        Ok(asked) => Ok(see_other(asked.thread.path())),
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            ask_again(&state, &req, &viewer, &user, form, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct BodyForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub body: String,
}

impl HasCsrf for BodyForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<BodyForm>,
) -> AppResult<HttpResponse> {
    let body = MarkdownBody::parse(&form.body)?;
    let thread_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    // To the page the new answer is on (the last, with many answers).
    let path = state
        .db
        .write(move |conn| {
            let (post, _) = crate::support::answer(conn, &gate, &user, thread_id, body)?;
            threads::post_path(conn, post.id, Some(&user))
        })
        .await?;
    Ok(see_other(path))
}

/// `POST /t/{id}/notes`: a staff-only note on the thread.
pub async fn internal_note(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<BodyForm>,
) -> AppResult<HttpResponse> {
    let body = MarkdownBody::parse(&form.body)?;
    let thread_id = id.into_inner();
    // Notes are on every page: no page to find.
    let (post, thread) = state
        .db
        .write(move |conn| threads::add_internal_note(conn, &user, thread_id, body))
        .await?;
    Ok(see_other(format!("{}#post-{}", thread.path(), post.id)))
}

pub async fn comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<BodyForm>,
) -> AppResult<HttpResponse> {
    let body = CommentBody::parse(&form.body)?;
    let post_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    let path = state
        .db
        .write(move |conn| {
            crate::support::comment(conn, &gate, &user, post_id, body)?;
            threads::post_path(conn, post_id, Some(&user))
        })
        .await?;
    Ok(see_other(path))
}

/// Markdown preview for the editor's script: returns the sanitised HTML fragment.
pub async fn preview(CsrfForm(form): CsrfForm<BodyForm>) -> AppResult<HttpResponse> {
    let body = MarkdownBody::parse(&form.body)?;
    let html = markdown::render(body.as_str())?.html;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    pub csrf: String,
    pub value: i32,
}

impl HasCsrf for VoteForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn vote(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> AppResult<HttpResponse> {
    let post_id = id.into_inner();
    let value = form.value;
    let gate = super::session::gate(&req, &state);
    let (score, path) = state
        .db
        .write(move |conn| {
            let score = threads::vote(conn, &gate, &user, post_id, value)?;
            Ok((score, threads::post_path(conn, post_id, Some(&user))?))
        })
        .await?;
    if wants_json(&req) {
        return Ok(HttpResponse::Ok()
            .json(serde_json::json!({ "post_id": post_id, "score": score, "my_vote": value })));
    }
    Ok(see_other(path))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub action: String,
}

impl HasCsrf for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub async fn accept(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> AppResult<HttpResponse> {
    let post_id = id.into_inner();
    let path = state
        .db
        .write(move |conn| {
            threads::accept(conn, &user, post_id)?;
            threads::post_path(conn, post_id, Some(&user))
        })
        .await?;
    Ok(see_other(path))
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub action: String,
    /// The thread this one duplicates: its id or its URL (optional).
    #[serde(default)]
    pub duplicate_of: String,
    /// Why (`threads::CLOSE_REASONS`, optional).
    #[serde(default)]
    pub reason: String,
}

impl HasCsrf for CloseForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A thread named by id (`42`) or by URL (`/t/42/slug`, `https://host/t/42`).
pub(crate) fn parse_thread_ref(raw: &str) -> AppResult<Option<i64>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let id_part = match raw.find("/t/") {
        Some(i) => raw[i + 3..].split(['/', '?', '#']).next().unwrap_or(""),
        None => raw,
    };
    id_part
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| AppError::invalid(msg!("threads-duplicate-ref")))
}

pub async fn close(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<CloseForm>,
) -> AppResult<HttpResponse> {
    let closed = match form.action.as_str() {
        "close" => true,
        "reopen" => false,
        _ => return Err(AppError::invalid(msg!("threads-close-action"))),
    };
    let duplicate_of = parse_thread_ref(&form.duplicate_of)?;
    let thread_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    let thread = state
        .db
        .write(move |conn| {
            threads::set_closed(
                conn,
                &gate,
                &user,
                thread_id,
                closed,
                duplicate_of,
                &form.reason,
            )
        })
        .await?;
    Ok(see_other(thread.path()))
}

csrf_form!(LockForm {
    action: String,
    reason: String,
});

/// `POST /t/{id}/lock`: lock (with a reason) or unlock a thread.
pub async fn lock(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<LockForm>,
) -> AppResult<HttpResponse> {
    let locked = match form.action.as_str() {
        "lock" => true,
        "unlock" => false,
        _ => return Err(AppError::invalid(msg!("threads-lock-action"))),
    };
    let thread_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    let thread = state
        .db
        .write(move |conn| threads::set_locked(conn, &gate, &user, thread_id, locked, &form.reason))
        .await?;
    Ok(see_other(thread.path()))
}

csrf_form!(PinForm { action: String });

/// `POST /t/{id}/pin`: pin to the top of its category, or unpin.
pub async fn pin(
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<PinForm>,
) -> AppResult<HttpResponse> {
    let pinned = match form.action.as_str() {
        "pin" => true,
        "unpin" => false,
        _ => return Err(AppError::invalid(msg!("threads-pin-action"))),
    };
    let thread_id = id.into_inner();
    let thread = state
        .db
        .write(move |conn| threads::set_pinned(conn, &user, thread_id, pinned))
        .await?;
    Ok(see_other(thread.path()))
}

csrf_form!(MoveForm { category: String });

/// `POST /t/{id}/move`: to another category.
pub async fn move_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    let thread = state
        .db
        .write(move |conn| threads::move_thread(conn, &gate, &user, thread_id, &form.category))
        .await?;
    Ok(see_other(thread.path()))
}

/// `edit.html`: editing a question or an answer.
#[derive(Serialize)]
pub struct EditPage {
    pub post_id: i64,
    /// `question` or `answer`; questions also edit title and tags.
    pub kind: String,
    pub thread_title: String,
    pub thread_url: String,
    pub form: EditForm,
    pub error: Option<Msg>,
    pub preview_html: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub action: String,
}

impl HasCsrf for EditForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn load_for_edit(
    state: &AppState,
    req: &HttpRequest,
    user: &accounts::User,
    post_id: i64,
) -> AppResult<(threads::Post, threads::Thread, Vec<String>)> {
    let user = user.clone();
    let gate = super::session::gate(req, state);
    let t = state
        .db
        .read(move |conn| threads::post_for_edit(conn, &gate, &user, post_id))
        .await?;
    Ok((t.post, t.thread, t.tags))
}

pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (post, thread, tags) = load_for_edit(&state, &req, &user, id.into_inner()).await?;
    let page = EditPage {
        post_id: post.id,
        thread_url: thread.path(),
        form: EditForm {
            title: thread.title.clone(),
            tags: tags.join(", "),
            body: post.body_md,
            ..Default::default()
        },
        kind: post.kind,
        thread_title: thread.title,
        error: None,
        preview_html: None,
    };
    page_response(
        &state,
        &req,
        Some(&viewer),
        "edit.html",
        &page,
        msg!("title-edit"),
    )
}

pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(user, viewer): SignedIn,
    id: web::Path<i64>,
    CsrfForm(mut form): CsrfForm<EditForm>,
) -> AppResult<HttpResponse> {
    let post_id = id.into_inner();
    let (post, thread, _) = load_for_edit(&state, &req, &user, post_id).await?;
    let is_question = post.kind == threads::QUESTION;
    let parsed = (|| {
        Ok::<_, AppError>(PostEdit {
            title: if is_question {
                Some(Title::parse(&form.title)?)
            } else {
                None
            },
            tags: if is_question {
                Some(catalog::parse_tags(&[form.tags.as_str()])?)
            } else {
                None
            },
            body: MarkdownBody::parse(&form.body)?,
            summary: form.summary.clone(),
        })
    })();
    let mut preview_html = None;
    let error = match parsed {
        Err(e) => Some(e),
        // A preview of what would be refused on saving says why instead.
        Ok(_) if form.action == "preview" => match markdown::render(&form.body) {
            Ok(r) => {
                preview_html = Some(r.html);
                None
            }
            Err(e) => Some(e),
        },
        Ok(e) => {
            // The title may have changed, and with it the canonical path.
            let gate = super::session::gate(&req, &state);
            let saved = state
                .db
                .write(move |conn| {
                    threads::edit(conn, &gate, &user, post_id, e)?;
                    threads::post_path(conn, post_id, Some(&user))
                })
                .await;
            match saved {
                Ok(path) => return Ok(see_other(path)),
                Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => Some(e),
                Err(e) => return Err(e),
            }
        }
    };
    let status = error.as_ref().map(actix_web::ResponseError::status_code);
    form.csrf.clear();
    let page = EditPage {
        post_id,
        kind: post.kind,
        thread_url: thread.path(),
        thread_title: thread.title,
        preview_html,
        form,
        error: error.and_then(|e| e.message()),
    };
    let mut resp = page_response(
        &state,
        &req,
        Some(&viewer),
        "edit.html",
        &page,
        msg!("title-edit"),
    )?;
    if let Some(s) = status {
        *resp.status_mut() = s;
    }
    Ok(resp)
}

/// One revision in `history.html`.
#[derive(Serialize)]
pub struct RevisionView {
    pub number: i32,
    pub editor: threads::AuthorView,
    /// The question title at this revision (questions only).
    pub title: Option<String>,
    /// Markdown source as written (shown as text).
    pub body_md: String,
    pub summary: String,
    pub created_at: chrono::NaiveDateTime,
}

/// `history.html`: every revision of a post.
#[derive(Serialize)]
pub struct HistoryPage {
    pub post_id: i64,
    pub thread_title: String,
    pub thread_url: String,
    /// Newest first.
    pub revisions: Vec<RevisionView>,
}

pub async fn history(
    state: web::Data<AppState>,
    req: HttpRequest,
    viewer: Viewer,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let post_id = id.into_inner();
    let user = viewer.user.clone();
    let page = state
        .db
        .read(move |conn| {
            let (post, revs) = threads::revisions(conn, post_id, user.as_ref())?;
            let thread = threads::find_thread(conn, post.thread_id)?;
            let mut revisions: Vec<RevisionView> = revs
                .into_iter()
                .map(|(r, u)| RevisionView {
                    number: r.number,
                    editor: threads::AuthorView::from(&u),
                    title: r.title,
                    body_md: r.body_md,
                    summary: r.summary,
                    created_at: r.created_at,
                })
                .collect();
            revisions.reverse();
            Ok(HistoryPage {
                post_id,
                thread_url: thread.path(),
                thread_title: thread.title,
                revisions,
            })
        })
        .await?;
    let title = msg!("title-post-history", title = &page.thread_title);
    page_response(&state, &req, Some(&viewer), "history.html", &page, title)
}

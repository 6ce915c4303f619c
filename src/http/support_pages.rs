//! Support desk pages and forms: the staff queue with its metrics, assigning and referring a
//! thread, promises and keeping them, the asker's follow-ups, "my setup" on the account page,
//! and staff groups on the admin page. Rules live in `crate::support`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::account_pages::account_page;
use super::render::page_response;
use super::render::see_other;
use super::session::{Admin, CsrfForm, SignedIn, Staff};
use super::AppState;
use crate::accounts::User;
use crate::catalog::{self, Category};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::i18n::Msg;
use crate::msg;
use crate::support::queue::{self, Metrics, Queue, QueueFilter, QueueSort, View};
use crate::support::setup::{self, SetupInput};
use crate::support::{self, AssignTo};
use crate::threads::{self, MarkdownBody};

csrf_form!(AssignForm {
    assignee: String,
    group: String,
    note: String
});
csrf_form!(PromiseForm {
    due: String,
    tz_offset: String,
    due_in: String,
    note: String
});
csrf_form!(KeepForm {});
csrf_form!(FollowupForm {
    title: String,
    body: String
});
csrf_form!(SetupForm {
    product: String,
    version: String,
    platform: String,
    notes: String,
    private: String
});
csrf_form!(GroupForm {
    name: String,
    description: String
});
csrf_form!(MemberForm {
    handle: String,
    action: String
});

/// Query of the staff queue.
#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    pub view: Option<String>,
    /// Category slug (empty: all).
    pub category: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

impl QueueQuery {
    /// The queue this query asks for (on a database connection: the category is a slug).
    pub fn load(&self, conn: &mut DbConn, user: &User) -> AppResult<Queue> {
        let category_id = match self.category.as_deref().map(str::trim) {
            Some(slug) if !slug.is_empty() => Some(catalog::resolve_category(conn, slug)?.id),
            _ => None,
        };
        let filter = QueueFilter {
            view: View::parse(self.view.as_deref().unwrap_or(""))?,
            sort: QueueSort::parse(self.sort.as_deref().unwrap_or(""))?,
            category_id,
            page: self.page.unwrap_or(1),
            per_page: 30,
        };
        queue::queue(conn, user, &filter)
    }
}

/// `staff-queue.html`: what needs staff now, and how the desk is doing.
#[derive(Serialize)]
pub struct QueuePage {
    pub queue: Queue,
    pub metrics: Metrics,
    pub categories: Vec<Category>,
    /// The category filter's slug (empty: all).
    pub category: String,
}

pub async fn staff_queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user, viewer): Staff,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let category = q.category.clone().unwrap_or_default();
    let q = q.into_inner();
    let page = state
        .db
        .read(move |conn| {
            Ok(QueuePage {
                queue: q.load(conn, &user)?,
                metrics: queue::metrics(conn)?,
                categories: catalog::list_categories(conn)?,
                category,
            })
        })
        .await?;
    page_response(
        &state,
        &req,
        Some(&viewer),
        "staff-queue.html",
        &page,
        msg!("title-queue"),
    )
}

/// `POST /t/{id}/assign`: assign or refer a thread, with a note for the assignee.
pub async fn assign(
    state: web::Data<AppState>,
    Staff(user, _): Staff,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<AssignForm>,
) -> AppResult<HttpResponse> {
    let thread_id = id.into_inner();
    let to = AssignTo {
        handle: Some(form.assignee),
        group: Some(form.group),
    };
    let thread = state
        .db
        .write(move |conn| support::assign(conn, &user, thread_id, &to, &form.note))
        .await?;
    Ok(see_other(format!("{}#timeline", thread.path())))
}

/// `POST /t/{id}/promises`: "I will follow up by ...".
pub async fn promise(
    state: web::Data<AppState>,
    req: HttpRequest,
    Staff(user, _): Staff,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<PromiseForm>,
) -> AppResult<HttpResponse> {
    let offset = match form.tz_offset.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .map_err(|_| AppError::invalid(msg!("support-offset-number")))?,
        ),
    };
    let zone = super::locale::resolve(&req, &state, Some(&user)).tz;
    let due = support::parse_due(&form.due, offset, zone, &form.due_in)?;
    let thread_id = id.into_inner();
    let path = state
        .db
        .write(move |conn| {
            support::promise(conn, &user, thread_id, due, &form.note)?;
            Ok(threads::find_thread(conn, thread_id)?.path())
        })
        .await?;
    Ok(see_other(format!("{path}#timeline")))
}

/// `POST /promises/{id}/keep`: the promise is kept (followed up some other way).
pub async fn keep_promise(
    state: web::Data<AppState>,
    Staff(user, _): Staff,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<KeepForm>,
) -> AppResult<HttpResponse> {
    let promise_id = id.into_inner();
    let path = state
        .db
        .write(move |conn| {
            let p = support::keep_promise(conn, &user, promise_id)?;
            Ok(threads::find_thread(conn, p.thread_id)?.path())
        })
        .await?;
    Ok(see_other(format!("{path}#timeline")))
}

/// The follow-up's text: the body, with the draft title (from the ask page) as its first line.
pub fn followup_body(title: &str, body: &str) -> AppResult<MarkdownBody> {
    let (title, body) = (title.trim(), body.trim());
    let text = match (title.is_empty(), body.is_empty()) {
        (_, true) => title.to_string(),
        (true, false) => body.to_string(),
        (false, false) => format!("**{}**\n\n{body}", title.replace('*', "\\*")),
    };
    MarkdownBody::parse(&text)
}

/// `POST /t/{id}/followups`: the asker adds to their own thread (also from the ask page's
/// "Is this about one of your open questions?").
pub async fn followup(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    SignedIn(user, _): SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<FollowupForm>,
) -> AppResult<HttpResponse> {
    let body = followup_body(&form.title, &form.body)?;
    let thread_id = id.into_inner();
    let gate = super::session::gate(&req, &state);
    let (post, thread) = state
        .db
        .write(move |conn| threads::add_followup(conn, &gate, &user, thread_id, body))
        .await?;
    Ok(see_other(format!("{}#post-{}", thread.path(), post.id)))
}

impl SetupForm {
    fn input(&self) -> SetupInput {
        SetupInput::full(
            &self.product,
            &self.version,
            &self.platform,
            &self.notes,
            !self.private.is_empty(),
        )
    }
}

/// Runs a setup change; errors re-show the account page with the message.
async fn setup_change<F>(
    state: &AppState,
    req: &HttpRequest,
    SignedIn(user, viewer): SignedIn,
    notice: Msg,
    f: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut crate::db::DbConn, &crate::accounts::User) -> AppResult<()> + Send + 'static,
{
    let u = user.clone();
    match state.db.write(move |conn| f(conn, &u)).await {
        Ok(()) => account_page(state, req, &viewer, user, None, Some(notice), None).await,
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            account_page(state, req, &viewer, user, None, None, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /account/setup`: a product the customer uses.
pub async fn add_setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> AppResult<HttpResponse> {
    let input = form.input();
    setup_change(
        &state,
        &req,
        who,
        msg!("support-setup-saved"),
        move |conn, u| setup::add(conn, u, &input).map(|_| ()),
    )
    .await
}

/// `POST /account/setup/{id}`.
pub async fn update_setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> AppResult<HttpResponse> {
    let (id, input) = (id.into_inner(), form.input());
    setup_change(
        &state,
        &req,
        who,
        msg!("support-setup-saved"),
        move |conn, u| setup::update(conn, u, id, &input),
    )
    .await
}

/// `POST /account/setup/{id}/delete`.
pub async fn delete_setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    id: web::Path<i64>,
    CsrfForm(_): CsrfForm<KeepForm>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    setup_change(
        &state,
        &req,
        who,
        msg!("support-setup-removed"),
        move |conn, u| setup::remove(conn, u, id),
    )
    .await
}

/// `POST /admin/groups`: a new staff group.
pub async fn create_group(
    state: web::Data<AppState>,
    Admin(user, _): Admin,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> AppResult<HttpResponse> {
    state
        .db
        .write(move |conn| support::create_group(conn, &user, &form.name, &form.description))
        .await?;
    Ok(see_other("/admin#groups"))
}

/// `POST /admin/groups/{id}/members`: add (or with `action=remove`, remove) a staff member.
pub async fn group_member(
    state: web::Data<AppState>,
    Admin(user, _): Admin,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<HttpResponse> {
    let member = match form.action.as_str() {
        "" | "add" => true,
        "remove" => false,
        _ => return Err(AppError::invalid(msg!("support-member-action"))),
    };
    let group_id = id.into_inner();
    state
        .db
        .write(move |conn| support::set_membership(conn, &user, group_id, &form.handle, member))
        .await?;
    Ok(see_other("/admin#groups"))
}

## Private questions, "I still need help" and the site settings.

# How an asker who published as "a customer" is named.
qa-a-customer = a customer

ask-private-check = Only staff can see this
ask-private-help = For account, billing or licence matters: only you and our staff will see the question.

private-badge = Private
private-note = Only the asker and staff can see this question: it is in no list, search or feed.
private-offer-heading = Our staff suggest publishing this question
private-offer-lead = The answer could help others with the same problem. Publish it under your name or as “a customer”. Your setup details and staff’s internal notes stay private either way.
private-publish-heading = Publish this question?
private-publish-lead = It is private now. Published, it helps others with the same problem find the answer. Your setup details stay private either way.
private-publish-named = Publish under my name
private-publish-anonymous = Publish as “a customer”
private-keep = Keep it private
private-offer-button = Offer to publish
private-offer-waiting = Offer to publish sent: the asker decides.
private-make-button = Make private

person-button = I still need help from { $company }
person-reason-label = What is still missing? One sentence is enough.
person-submit = Ask { $company } for a person
person-waiting = { $mine ->
        [yes] You asked for a person { $when }. { $company } staff will pick this up here.
       *[no] The asker asked for a person { $when }. { $company } staff will pick this up here.
    }
person-picked-up = { $name } from our staff is on it.

support-tl-staff-requested = { $name } asked for a person
support-tl-publish-offered = { $person } offered to publish this question
support-tl-publish-declined = The asker kept the question private
support-tl-published = Published by the asker
support-tl-made-private = Made private by { $person }

threads-private-forbidden = Questions about { $category } are public: untick “Only staff can see this”.
threads-private-not-allowed = Only the asker and staff can make a question private.
threads-publish-offer-staff-only = Only staff can offer to publish a private question.
threads-not-private = This question is not private.
threads-publish-asker-only = Only the asker can publish a private question.
threads-unknown-consent = Unknown choice “{ $choice }”: use named, anonymous or decline.
threads-request-asker-only = Only the asker can ask for a person on this question.
threads-request-reason-required = Say in a sentence what is still missing.
threads-request-pending = You already asked for a person: staff will reply here.
threads-request-not-yet = You can ask for a person once a peer has answered, or once the reply target has passed.

site-name-required = The site needs a name.
site-unknown-language = There is no interface language “{ $language }”.
site-unknown-time-zone = “{ $zone }” is not a time zone (use a name such as Europe/Berlin).
site-bad-url = { $field ->
        [logo-url] The logo address
        [contact-url] The contact address
       *[other] Each footer link
    } must be a web address (https://…) or a path on this site (/…).
site-bad-footer-link = Write each footer link as “Label | https://…”: “{ $line }”
site-too-many-links = At most { $max } footer links.
site-admins-only = Only admins can change the site settings.

queue-metrics-requests = Asked for a person (last { $days } days)
queue-requests = { $asked } · { $waiting } still waiting
queue-requested-badge = Asked for a person

catalog-unknown-private-rule = “{ $rule }” is not a rule for private questions: use optional, required or forbidden.
admin-private-questions = Private questions
admin-private-rule = { $rule ->
        [required] Always private
        [forbidden] Never private
       *[optional] Asker chooses
    }

title-site-settings = Site settings
settings-saved = Settings saved.
settings-identity = Name and logo
settings-site-name = Site name
settings-company-name = Company name
settings-company-help = Customers ask for a person from this company (“I still need help from …”). Empty: the site name.
settings-logo-url = Logo address
settings-logo-help = An image at https://… or a path on this site. Empty: the site name is shown.
settings-home = Home page and footer
settings-intro = Introduction
settings-intro-help = A short welcome above the search box on the home page (Markdown, at most 1,000 characters).
settings-contact-url = Contact page
settings-footer-links = Footer links
settings-footer-help = One link per line: Label | https://… (at most 10).
settings-defaults = Defaults for visitors
settings-language = Language
settings-from-config = As configured
settings-time-zone = Time zone
settings-time-zone-help = An IANA name such as Europe/Berlin; empty: as configured. Visitors’ browsers still tell their own.
settings-privacy = Private questions
settings-moderators-see-private = Moderators may open private questions (staff and admins always can)
footer-contact = Contact

home-heading = How can we help?
home-search-placeholder = Describe your problem, e.g. “router drops Wi-Fi”
home-search-button = Search
home-kb-heading = Knowledge base
home-kb-more = All { $count } articles

threads-duplicate-private = A public question cannot point at a private one: its title would show to everyone.
threads-merge-private = A private thread and a public one cannot be merged: the asker has to publish theirs first.

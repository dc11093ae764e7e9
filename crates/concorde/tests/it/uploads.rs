//! Uploads: header image and documents, checked by content and size.

use crate::helpers::TestApp;
use domain::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const PNG: &[u8] = include_bytes!("../../demo/solidarites.png");
const PDF: &[u8] = include_bytes!("../../demo/deliberation-2021-10-15.pdf");

async fn setup() -> (TestApp, i64, String) {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let page = app
        .post(
            "/admin/debats",
            &[
                ("title", "Fichiers"),
                ("slug", "fichiers"),
                ("summary", "R"),
                ("body_md", ""),
                ("status", "published"),
                ("image_alt", ""),
            ],
        )
        .await;
    let id: i64 = page
        .location()
        .trim_start_matches("/admin/debats/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("debate id");
    let csrf = app.csrf().await;
    (app, id, csrf)
}

fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

#[tokio::test]
async fn header_image_upload_and_refusals() {
    let (app, id, csrf) = setup().await;
    let path = format!("/admin/debats/{id}/image");

    // An .exe renamed .png, and a PDF sent as an image: refused with a message, nothing stored.
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("image_alt", "")
        .part(
            "image",
            file("photo.png", b"MZ\x90\x00\x03 not an image".to_vec()),
        );
    let page = app.post_multipart(&path, form).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("est pas accepté");
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("image_alt", "")
        .part("image", file("doc.pdf", PDF.to_vec()));
    app.post_multipart(&path, form)
        .await
        .assert_contains("Choisissez une image PNG");

    // A 20 MB image: refused beside the field, not a 500 and not a dropped connection.
    let mut big = PNG.to_vec();
    big.resize(20 * 1024 * 1024, 0);
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("image_alt", "")
        .part("image", file("grande.png", big));
    let page = app.post_multipart(&path, form).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Cette image est trop lourde");
    assert!(
        app.store()
            .debate_by_id(id)
            .await
            .expect("db")
            .expect("d")
            .image_file_id
            .is_none()
    );

    // No token: 403.
    let form = Form::new()
        .text("image_alt", "")
        .part("image", file("a.png", PNG.to_vec()));
    assert_eq!(
        app.post_multipart(&path, form).await.status,
        StatusCode::FORBIDDEN
    );

    // A real PNG.
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("image_alt", "Des mains qui se tendent")
        .part("image", file("a.png", PNG.to_vec()));
    let page = app.post_multipart(&path, form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let d = app.store().debate_by_id(id).await.expect("db").expect("d");
    let img = d.image_file_id.expect("image stored");
    let public = app.get("/debats/fichiers").await;
    public.assert_contains(&format!(
        "src=\"/fichiers/{img}\" alt=\"Des mains qui se tendent\""
    ));
    let res = app
        .client
        .get(format!("{}/fichiers/{img}", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PNG);
}

#[tokio::test]
async fn documents_upload_download_delete() {
    let (app, id, csrf) = setup().await;
    let path = format!("/admin/debats/{id}/documents");
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("doc_title", "Délibération")
        .part(
            "document",
            file("virus.pdf", b"MZ\x90\x00 windows executable".to_vec()),
        );
    let page = app.post_multipart(&path, form).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("son contenu ne correspond pas à son extension");
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("doc_title", "")
        .part("document", file("d.pdf", PDF.to_vec()));
    let page = app.post_multipart(&path, form).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Ce champ est obligatoire");
    assert!(
        app.store()
            .debate_files(id, "document")
            .await
            .expect("db")
            .is_empty()
    );

    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("doc_title", "la délibération")
        .part("document", file("../../délib 2021.pdf", PDF.to_vec()));
    assert_eq!(
        app.post_multipart(&path, form).await.status,
        StatusCode::SEE_OTHER
    );
    let docs = app.store().debate_files(id, "document").await.expect("db");
    assert_eq!(docs.len(), 1);
    assert_eq!(
        docs[0].filename, "délib 2021.pdf",
        "no path survives in a file name"
    );
    app.get("/debats/fichiers")
        .await
        .assert_contains("la délibération</span>");
    let res = app
        .client
        .get(format!("{}/fichiers/{}/x.pdf", app.base, docs[0].id))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .contains("d%C3%A9lib%202021.pdf")
    );

    let page = app
        .post(
            &format!("/admin/debats/{id}/documents/{}/supprimer", docs[0].id),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        app.store()
            .debate_files(id, "document")
            .await
            .expect("db")
            .is_empty()
    );
    assert_eq!(
        app.get(&format!("/fichiers/{}", docs[0].id)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn files_of_drafts_are_not_public() {
    let (mut app, id, csrf) = setup().await;
    let form = Form::new()
        .text("csrf", csrf)
        .text("doc_title", "Brouillon")
        .part("document", file("b.pdf", PDF.to_vec()));
    assert_eq!(
        app.post_multipart(&format!("/admin/debats/{id}/documents"), form)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let doc = app.store().debate_files(id, "document").await.expect("db")[0].id;
    let page = app
        .post(
            &format!("/admin/debats/{id}"),
            &[
                ("title", "Fichiers"),
                ("slug", "fichiers"),
                ("summary", "R"),
                ("body_md", ""),
                ("status", "draft"),
                ("image_alt", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/fichiers/{doc}")).await.status,
        StatusCode::OK
    );
    app.new_visitor();
    assert_eq!(
        app.get(&format!("/fichiers/{doc}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn drafts_files_are_never_cached_by_shared_caches() {
    let (app, id, csrf) = setup().await;
    let form = Form::new()
        .text("csrf", csrf)
        .text("doc_title", "Doc")
        .part("document", file("d.pdf", PDF.to_vec()));
    assert_eq!(
        app.post_multipart(&format!("/admin/debats/{id}/documents"), form)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let doc = app.store().debate_files(id, "document").await.expect("db")[0].id;
    let public = app.get(&format!("/fichiers/{doc}")).await;
    assert_eq!(public.headers["cache-control"], "public, max-age=300");
    let page = app
        .post(
            &format!("/admin/debats/{id}"),
            &[
                ("title", "Fichiers"),
                ("slug", "fichiers"),
                ("summary", "R"),
                ("body_md", ""),
                ("status", "draft"),
                ("image_alt", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let staff = app.get(&format!("/fichiers/{doc}")).await;
    assert_eq!(staff.headers["cache-control"], "private, no-store");
}

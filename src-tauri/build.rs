fn main() {
    // Declaring the app's commands makes tauri-build generate `allow-<command>` permissions for them,
    // so a capability has to grant each command the UI calls (capabilities/default.json).
    // Keep in step with `commands::NAMES` (a unit test checks both lists and the capability).
    const COMMANDS: &[&str] = &[
        "echo_text",
        "app_info",
        "office_status",
        "init_office",
        "set_operator",
        "policies",
        "report_summary",
        "search_people",
        "people_page",
        "person_detail",
        "same_name",
        "check_person",
        "add_person",
        "quote",
        "add_claim",
        "recent_claims",
        "unlisted_claims",
        "create_list",
        "lists",
        "list_page",
        "list_items",
        "post_list",
        "approve_list",
        "pay",
        "reverse",
        "live_payout_of",
        "recent_audit",
        "verify",
        "load_demo",
        "cancel_demo",
        "update_person",
        "add_household",
        "add_group",
        "find_units",
        "import_file",
        "cancel_import",
        "export_file",
        "default_export_path",
        "sheet_html",
        "save_sheet",
        "pick_open_path",
        "pick_save_path",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}

fn main() {
    // Declaring the app's commands makes tauri-build generate `allow-<command>` permissions for them,
    // so a capability has to grant each command the UI calls (capabilities/default.json).
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["echo_text", "app_info"])),
    )
    .expect("failed to run tauri-build");
}

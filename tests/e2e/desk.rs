//! The office's desk (`/desk` of the mock) in headless Chromium, for the
//! journeys: its fake camera plays a video made from the app's own proof
//! screenshot, so the officer scans what the applicant's phone shows.

use crate::driver::{Driver, browser, chromedriver, wait_for_text};
use fantoccini::{Client, Locator};
use std::path::Path;

/// A Y4M video (what Chromium's fake camera plays) of `frames` frames of
/// the picture at `png` (its sides made even for 4:2:0).
pub fn video_of(png: &Path, frames: usize) -> Vec<u8> {
    let rgb = image::open(png).unwrap().to_rgb8();
    let (w, h) = (rgb.width() as usize & !1, rgb.height() as usize & !1);
    let px = |x: usize, y: usize| {
        let p = rgb.get_pixel(x as u32, y as u32).0;
        (p[0] as f32, p[1] as f32, p[2] as f32)
    };
    let mut y_plane = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let (r, g, b) = px(x, y);
            y_plane.push((0.299 * r + 0.587 * g + 0.114 * b).round() as u8);
        }
    }
    let (mut u_plane, mut v_plane) = (Vec::new(), Vec::new());
    for y in (0..h).step_by(2) {
        for x in (0..w).step_by(2) {
            let (r, g, b) = [(0, 0), (1, 0), (0, 1), (1, 1)]
                .iter()
                .map(|(dx, dy)| px(x + dx, y + dy))
                .fold((0.0, 0.0, 0.0), |a, p| {
                    (a.0 + p.0 / 4.0, a.1 + p.1 / 4.0, a.2 + p.2 / 4.0)
                });
            u_plane.push(
                (-0.169 * r - 0.331 * g + 0.5 * b + 128.0)
                    .round()
                    .clamp(0.0, 255.0) as u8,
            );
            v_plane.push(
                (0.5 * r - 0.419 * g - 0.081 * b + 128.0)
                    .round()
                    .clamp(0.0, 255.0) as u8,
            );
        }
    }
    let mut video = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..frames {
        video.extend_from_slice(b"FRAME\n");
        video.extend_from_slice(&y_plane);
        video.extend_from_slice(&u_plane);
        video.extend_from_slice(&v_plane);
    }
    video
}

/// The desk open in Chromium, its camera playing `video`.
pub struct Desk {
    pub page: Client,
    _driver: Driver,
}

impl Desk {
    pub async fn open(mock_url: &str, token: &str, video: &Path) -> Desk {
        let driver = chromedriver().await;
        let page = browser(
            &driver,
            &[
                "--window-size=1100,1400".into(),
                "--use-fake-ui-for-media-stream".into(),
                "--use-fake-device-for-media-stream".into(),
                format!("--use-file-for-fake-video-capture={}", video.display()),
            ],
        )
        .await;
        page.goto(&format!("{mock_url}/desk#token={token}"))
            .await
            .unwrap();
        wait_for_text(&page, "h1", "desk").await;
        Desk {
            page,
            _driver: driver,
        }
    }

    pub async fn click(&self, id: &str) {
        self.page
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id} at the desk: {e}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn shows(&self, css: &str, text: &str) -> String {
        wait_for_text(&self.page, css, text).await
    }

    /// Moves the application on with the desk's button, and waits for it.
    pub async fn advance(&self, to: &str, state: &str) {
        self.click(&format!("to-{to}")).await;
        self.shows("#desk-state", state).await;
    }

    /// Saves what the desk shows as `name`.png beside the journey's screenshots.
    pub async fn shot(&self, dir: &Path, name: &str) {
        let png = self.page.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("desk-{name}.png")), png).unwrap();
    }
}

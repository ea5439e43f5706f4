"""Real-browser tests of the built maps (headless Chromium through Playwright)."""

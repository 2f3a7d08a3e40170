hostname ok

frobnicate now

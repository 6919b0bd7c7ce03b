"""Video slides: uploads checked by ffprobe and converted by ffmpeg in a contained process, frames
read by the privacy gate, approval, and the public copy served with HTTP Range to the screens."""


def register(app):
    from kiosk.video import api, jobs  # noqa: F401  (uploadVideo, ...; the checks job)
    from kiosk.video.player import video_player_bp
    from kiosk.video.views import upload_limit, video_bp

    app.register_blueprint(video_player_bp)
    app.register_blueprint(video_bp)
    app.url_value_preprocessor(upload_limit)

"""ffprobe and ffmpeg: what a video is, whether we take it, and the screen-safe copy of it.

Every function here runs in the contained checker (`worker.py`), never in a serving process.
The screen-safe profile plays in every browser and TV box we know: H.264 (High profile, level
4.1 at most, yuv420p), at most 1920×1080 (either way round), AAC stereo, in MP4 with the index at
the front (faststart) so playback starts before the whole file has arrived. A video already in
that profile is only re-muxed (its metadata, subtitles, chapters and data tracks dropped); any
other accepted video is re-encoded."""
import json
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

FFPROBE, FFMPEG = "ffprobe", "ffmpeg"
# What we take in: MP4 with H.264 and AAC, WebM with VP8/VP9/AV1 and Opus/Vorbis.
MP4_VIDEO, MP4_AUDIO = {"h264"}, {"aac"}
WEBM_VIDEO, WEBM_AUDIO = {"vp8", "vp9", "av1"}, {"opus", "vorbis"}
SAFE_LONG_SIDE, SAFE_SHORT_SIDE = 1920, 1080
SAFE_PROFILES = {"High", "Main", "Constrained Baseline"}
SAFE_KBPS = 8000
FRAME_EVERY = 2          # seconds between the frames the privacy gate reads
FRAME_LONG_SIDE = 1920   # frames are read at the copy's own size (never larger than this)
MIN_SIDE = 16


@dataclass(frozen=True)
class Limits:
    max_seconds: int
    max_kbps: int
    max_side: int


@dataclass(frozen=True)
class Probe:
    container: str            # "mp4" or "webm"
    video_codec: str
    audio_codec: str          # "" without sound
    width: int
    height: int
    duration: float
    kbps: int
    profile: str
    pixel_format: str
    rotation: int


class Refused(Exception):
    """Not a video we take: `reason` is a code, `detail` its numbers (the parent words it for the clerk)."""

    def __init__(self, reason: str, **detail):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def probe(path: Path) -> Probe:
    """What ffprobe reads in the file; Refused("not_video") when it is no video at all."""
    run = subprocess.run([FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                          str(path)], capture_output=True, timeout=120)
    try:
        found = json.loads(run.stdout or b"{}")
    except ValueError:
        found = {}
    streams, container = found.get("streams") or [], (found.get("format") or {})
    videos = [s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    if run.returncode != 0 or not videos:
        raise Refused("not_video")
    video = videos[0]
    duration = _number(container.get("duration")) or _number(video.get("duration"))
    if not duration or duration <= 0:
        raise Refused("not_video")
    names = container.get("format_name", "")
    kind = "mp4" if "mp4" in names else "webm" if "webm" in names or "matroska" in names else names
    bits = _number(container.get("bit_rate")) or (_number(container.get("size")) or 0) * 8 / duration
    rotation = next((int(side.get("rotation", 0)) for side in video.get("side_data_list") or [] if "rotation" in side),
                    int(_number((video.get("tags") or {}).get("rotate")) or 0))
    return Probe(container=kind, video_codec=video.get("codec_name", ""),
                 audio_codec=audios[0].get("codec_name", "") if audios else "",
                 width=int(video.get("width") or 0), height=int(video.get("height") or 0), duration=float(duration),
                 kbps=round(bits / 1000), profile=video.get("profile", ""), pixel_format=video.get("pix_fmt", ""),
                 rotation=rotation % 360)


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def judge(found: Probe, limits: Limits) -> None:
    """Refused(...) unless the video is one we take: its codecs for its container, its length, size
    and bitrate within the limits."""
    video_codecs, audio_codecs = {"mp4": (MP4_VIDEO, MP4_AUDIO), "webm": (WEBM_VIDEO, WEBM_AUDIO)}.get(
        found.container, (set(), set()))
    if found.video_codec not in video_codecs:
        raise Refused("video_codec", codec=found.video_codec, container=found.container)
    if found.audio_codec and found.audio_codec not in audio_codecs:
        raise Refused("audio_codec", codec=found.audio_codec, container=found.container)
    if found.duration > limits.max_seconds:
        raise Refused("too_long", seconds=round(found.duration), limit=limits.max_seconds)
    if max(found.width, found.height) > limits.max_side or min(found.width, found.height) < MIN_SIDE:
        raise Refused("resolution", width=found.width, height=found.height, limit=limits.max_side)
    if found.kbps > limits.max_kbps:
        raise Refused("bitrate", kbps=found.kbps, limit=limits.max_kbps)


def screen_safe(found: Probe) -> bool:
    """Already in the profile: only re-muxed, never re-encoded."""
    long_side, short_side = max(found.width, found.height), min(found.width, found.height)
    return (found.container == "mp4" and found.video_codec == "h264" and found.profile in SAFE_PROFILES
            and found.pixel_format == "yuv420p" and long_side <= SAFE_LONG_SIDE and short_side <= SAFE_SHORT_SIDE
            and found.audio_codec in ("", "aac") and found.kbps <= SAFE_KBPS and found.rotation == 0)


def conversion_command(source: Path, target: Path, found: Probe) -> list[str]:
    """The ffmpeg command making the public copy; progress goes to stdout as key=value lines."""
    command = [FFMPEG, "-nostdin", "-v", "error", "-y", "-i", str(source), "-map", "0:v:0", "-map", "0:a:0?",
               "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"]
    if screen_safe(found):
        command += ["-c", "copy"]
    else:
        # Fit inside 1920×1080 (or 1080×1920 upright), never enlarged, even sides for yuv420p.
        # (ffmpeg turns a video recorded upright the right way first: its box is upright too.)
        wide = (found.width >= found.height) != (found.rotation in (90, 270))
        most_wide, most_high = (SAFE_LONG_SIDE, SAFE_SHORT_SIDE) if wide else (SAFE_SHORT_SIDE, SAFE_LONG_SIDE)
        fit = (f"scale='min(iw,{most_wide})':'min(ih,{most_high})':force_original_aspect_ratio=decrease,"
               "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p")
        command += ["-vf", fit, "-c:v", "libx264", "-profile:v", "high", "-level:v", "4.1", "-preset", "veryfast",
                    "-crf", "23", "-maxrate", f"{SAFE_KBPS}k", "-bufsize", f"{2 * SAFE_KBPS}k", "-threads", "2",
                    "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"]
    return command + ["-movflags", "+faststart", "-f", "mp4", "-progress", "pipe:1", "-nostats", str(target)]


def convert(source: Path, target: Path, found: Probe, on_progress: Callable[[float], None]) -> None:
    """Make the public copy, telling `on_progress` the share done (0..1) as ffmpeg goes."""
    process = subprocess.Popen(conversion_command(source, target, found), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    for line in process.stdout:
        key, _sep, value = line.decode(errors="replace").strip().partition("=")
        if key == "out_time_us" and value.isdigit():
            on_progress(min(1.0, int(value) / 1_000_000 / found.duration))
    errors = process.stderr.read().decode(errors="replace")
    if process.wait() != 0:
        raise RuntimeError(f"ffmpeg failed: {errors[-1000:]}")


def poster(source: Path, target: Path, at: float) -> None:
    """A JPEG of the frame at `at` seconds, at most FRAME_LONG_SIDE wide or high."""
    subprocess.run([FFMPEG, "-nostdin", "-v", "error", "-y", "-ss", f"{at:.3f}", "-i", str(source),
                    "-frames:v", "1", "-vf", _frame_scale(), "-q:v", "3", "-f", "image2", str(target)],
                   check=True, capture_output=True, timeout=120)


def _frame_scale() -> str:
    side = FRAME_LONG_SIDE
    return f"scale='if(gte(iw,ih),min(iw,{side}),-2)':'if(gte(iw,ih),-2,min(ih,{side}))'"


def frames(source: Path, width: int, height: int) -> Iterator[tuple[float, Image.Image]]:
    """Every FRAME_EVERY seconds from the start, (seconds, frame), one frame in memory at a time."""
    scale = min(1.0, FRAME_LONG_SIDE / max(width, height))
    width, height = int(width * scale) // 2 * 2, int(height * scale) // 2 * 2
    process = subprocess.Popen([FFMPEG, "-nostdin", "-v", "error", "-i", str(source), "-an", "-vf",
                                f"fps=1/{FRAME_EVERY}:start_time=0,scale={width}:{height}", "-pix_fmt", "rgb24",
                                "-f", "rawvideo", "pipe:1"], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    size, number = width * height * 3, 0
    try:
        while True:
            data = process.stdout.read(size)
            if len(data) < size:
                break
            yield number * FRAME_EVERY, Image.frombytes("RGB", (width, height), data)
            number += 1
    finally:
        process.stdout.close()
        process.kill()
        process.wait()

"""Case photos: validated by their content, re-encoded without metadata, thumbnailed.

A photo is accepted only if Pillow recognises it as a JPEG, PNG or WebP within the size
(``CASE_PHOTO_MAX_BYTES``) and pixel (``CASE_PHOTO_MAX_PIXELS``, and
``CASE_PHOTO_MAX_DECODED_PIXELS`` for what is decoded) limits, checked on the header. What is stored
is a fresh JPEG encoding of the pixels (turned upright by the EXIF orientation first) and
a thumbnail, with no EXIF, XMP or other metadata: the GPS position a phone writes into
a photo is personal data and never reaches the storage. The original bytes are dropped.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gridcenter.errors import DomainValidationError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_PHOTOS = 9  # per report or per step: what a phone's picker sends at most
MAX_EDGE = 2048  # stored photos fit in this (px): evidence, not art
THUMBNAIL_EDGE = 320
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 75
STORAGE_DIR = "cases"


class PhotoError(ValueError):
    """A file that is not an acceptable photo; the message is for the person who sent it."""


@dataclass(frozen=True)
class ProcessedPhoto:
    """A re-encoded photo and its thumbnail, ready to be stored."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


@dataclass(frozen=True)
class StoredPhoto:
    """A processed photo written to the default storage (file names relative to it)."""

    file: str
    thumbnail: str
    width: int
    height: int
    size: int


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > settings.CASE_PHOTO_MAX_BYTES:
            raise PhotoError(_too_large())
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(settings.CASE_PHOTO_MAX_BYTES + 1)
    if len(data) > settings.CASE_PHOTO_MAX_BYTES:
        raise PhotoError(_too_large())
    if not data:
        raise PhotoError(_("The file is empty."))
    return data


def _too_large() -> str:
    limit_mb = settings.CASE_PHOTO_MAX_BYTES / (1024 * 1024)
    return _("The photo is larger than %(limit).0f MB.") % {"limit": limit_mb}


def _encode(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    # No exif=, no xmp=, no icc_profile=: the encoder writes pixels and nothing else.
    image.save(buffer, format="JPEG", quality=quality, optimize=False, progressive=False)
    return buffer.getvalue()


def _too_many_pixels(limit: int) -> PhotoError:
    return PhotoError(
        _("The photo has too many pixels (at most %(limit)d million).") % {"limit": max(1, limit // 1_000_000)}
    )


def process_photo(upload) -> ProcessedPhoto:
    """Validate one uploaded photo by its content and re-encode it (raises ``PhotoError``).

    Only the header is read before the limits are checked: a photo over
    ``CASE_PHOTO_MAX_PIXELS`` is refused undecoded, and so is one whose decoding would
    produce more than ``CASE_PHOTO_MAX_DECODED_PIXELS`` (a PNG or WebP decodes in full; a
    JPEG at 1/2 to 1/8 of its size), which bounds the work one upload can cost.
    """
    data = _read(upload)
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 MP and refuses from 179 MP; our own, lower limits decide.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise PhotoError(_("Only JPEG, PNG or WebP photos are accepted."))
        width, height = image.size
        if width * height > settings.CASE_PHOTO_MAX_PIXELS:
            raise _too_many_pixels(settings.CASE_PHOTO_MAX_PIXELS)
        # A JPEG decodes at 1/2, 1/4 or 1/8 scale directly, far cheaper than decoding in
        # full and resampling: take the smallest scale that keeps MAX_EDGE / 2 pixels, so
        # a phone photo (4000 px → 2000 px) needs no resampling at all.
        scale = (MAX_EDGE / 2) / max(width, height)
        if scale < 1:
            image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        if image.width * image.height > settings.CASE_PHOTO_MAX_DECODED_PIXELS:
            raise _too_many_pixels(settings.CASE_PHOTO_MAX_DECODED_PIXELS)
        image.load()
        image = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except Image.DecompressionBombError:  # over 179 MP: Pillow refuses it on opening
        raise _too_many_pixels(settings.CASE_PHOTO_MAX_PIXELS) from None
    except UnidentifiedImageError:
        raise PhotoError(_("The file is not a JPEG, PNG or WebP photo.")) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt image data
        raise PhotoError(_("The photo is damaged and cannot be read.")) from None

    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.info = {}  # drop every piece of metadata the decoder kept
    if max(image.size) > MAX_EDGE:  # a large PNG or WebP (a JPEG was scaled while decoding)
        image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.BICUBIC)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.BICUBIC)
    return ProcessedPhoto(
        image=_encode(image, JPEG_QUALITY),
        thumbnail=_encode(thumbnail, THUMBNAIL_QUALITY),
        width=image.width,
        height=image.height,
    )


def process_photos(uploads: Sequence) -> list[ProcessedPhoto]:
    """Process several photos; the error names which one is wrong (raises ``PhotoError``)."""
    if len(uploads) > MAX_PHOTOS:
        raise PhotoError(_("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS})
    processed = []
    for number, upload in enumerate(uploads, start=1):
        try:
            processed.append(process_photo(upload))
        except PhotoError as exc:
            if len(uploads) == 1:
                raise
            raise PhotoError(_("Photo %(number)d: %(error)s") % {"number": number, "error": exc}) from None
    return processed


def store_photos(photos: Iterable[ProcessedPhoto]) -> list[StoredPhoto]:
    """Write processed photos and their thumbnails to the default storage."""
    stored = []
    month = timezone.localdate().strftime("%Y/%m")
    for photo in photos:
        key = uuid.uuid4().hex  # unguessable names: the files are personal data
        name = default_storage.save(f"{STORAGE_DIR}/{month}/{key}.jpg", ContentFile(photo.image))
        thumb = default_storage.save(f"{STORAGE_DIR}/{month}/{key}.thumb.jpg", ContentFile(photo.thumbnail))
        stored.append(StoredPhoto(name, thumb, photo.width, photo.height, len(photo.image)))
    return stored


def delete_stored(photos: Iterable[StoredPhoto]) -> None:
    """Remove stored files whose database rows were never written (a rolled-back action)."""
    for photo in photos:
        for name in (photo.file, photo.thumbnail):
            try:
                default_storage.delete(name)
            except OSError:
                pass  # an orphan file is harmless; the request's answer matters more


@contextmanager
def stored_photos(uploads: Sequence | None, error_class: type[DomainValidationError]) -> Iterator[list[StoredPhoto]]:
    """Validate, re-encode and store uploaded photos before any row is written or locked.

    Yields the stored photos; if the block fails, the files are deleted again, so a
    refused or rolled-back action leaves nothing behind. Bad photos raise
    ``error_class`` (the calling domain's validation error) on the field ``photos``.
    """
    if not uploads:
        yield []
        return
    try:
        processed = process_photos(list(uploads))
    except PhotoError as exc:
        raise error_class.field("photos", str(exc)) from None
    stored = store_photos(processed)
    try:
        yield stored
    except BaseException:
        delete_stored(stored)
        raise

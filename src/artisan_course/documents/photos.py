"""Sample photos for the order agreement: checked by their bytes, downscaled, stripped of camera data (Pillow)."""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from ..i18n import _
from ..limits import PHOTO_LIMIT_BYTES
from ..models.agreement import MAX_PHOTOS, PHOTO_FORMATS, Photo, PhotoRefused  # noqa: F401 (MAX_PHOTOS re-exported for the view)


LONGEST_SIDE = 1280


JPEG_QUALITY = 82


THUMBNAIL_SIDE = 240


MAX_PIXELS = 60_000_000  # PNG and WebP are decoded in full: about 180 MB of memory at this size




def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _has_transparency(image: Image.Image) -> bool:
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        low, _high = image.getchannel("A").getextrema()
        return low < 255
    return False


def prepare_photo(name: str, content: bytes, limit: int = PHOTO_LIMIT_BYTES) -> Photo:
    """Check a file by its bytes and make it small enough to store. Raises PhotoRefused with a plain message."""
    name = str(name or "photo").strip() or "photo"
    size = len(content)
    if size > limit:
        raise PhotoRefused(_("{name} is {size}. The limit is {limit} per photo. Please choose a smaller photo.").format(
            name=name, size=megabytes(size), limit=megabytes(limit)))
    if size == 0:
        raise PhotoRefused(_("{name} is empty. Please choose the photo again.").format(name=name))
    with warnings.catch_warnings():
        # Pillow warns above about 89 million pixels. A JPEG is read at a reduced scale (draft mode), so a big
        # phone photo is fine; other formats are refused above MAX_PIXELS. Pillow still refuses twice its limit.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content))
            kind = image.format
            if kind not in PHOTO_FORMATS:
                raise PhotoRefused(_("{name} is a {kind} file, not a photo we can use. Please choose a JPEG, PNG "
                                     "or WebP photo.").format(name=name, kind=kind))
            if kind == "JPEG":
                image.draft(None, (LONGEST_SIDE, LONGEST_SIDE))
            elif image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(name)
            image.load()
        except PhotoRefused:
            raise
        except Image.DecompressionBombError:
            raise PhotoRefused(_("{name} has too many pixels. Please choose a smaller photo.").format(
                name=name)) from None
        except UnidentifiedImageError:
            raise PhotoRefused(_("{name} is not a photo. Please choose a JPEG, PNG or WebP photo.").format(
                name=name)) from None
        except (OSError, ValueError, SyntaxError):
            raise PhotoRefused(_("{name} could not be read: the file may be damaged. Please choose another "
                                 "photo.").format(name=name)) from None
    image = ImageOps.exif_transpose(image)
    keep_png = _has_transparency(image)
    if max(image.size) > LONGEST_SIDE:
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if keep_png:
        image.convert("RGBA").save(out, format="PNG")
        mime = "image/png"
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGBA").convert("RGB") if image.mode in ("P", "PA", "LA") else image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        mime = "image/jpeg"
    return Photo(name, mime, out.getvalue(), image.width, image.height)


def thumbnail(photo: Photo, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small copy for the form's photo list (same format as the photo)."""
    image = Image.open(io.BytesIO(photo.data))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if photo.mime == "image/png":
        image.save(out, format="PNG")
    else:
        image.convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue()

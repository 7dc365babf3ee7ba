#!/usr/bin/python3
"""Draws the example images of docs/examples used in the README's predict commands (needs python3-pil).

digit-7.png: a "7" drawn with a thick pen, dark ink on white, 240x240 (as from a drawing program);
digit-3.jpg: a "3" like a blurred photo of pencil on grey paper, 300x200, JPEG.
Neither looks like an MNIST digit (white on black, 28x28): `cnn4j predict` has to convert them.
"""
import os

from PIL import Image, ImageDraw, ImageFilter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "examples")
os.makedirs(OUT, exist_ok=True)


def save(image, name, **options):
    """Writes to a temporary file, then renames it: never a half-written image."""
    tmp = os.path.join(OUT, "." + name + ".tmp")
    image.save(tmp, format="JPEG" if name.endswith(".jpg") else "PNG", **options)
    os.replace(tmp, os.path.join(OUT, name))


im = Image.new("L", (240, 240), 255)
d = ImageDraw.Draw(im)
d.line([(60, 50), (180, 50), (165, 80), (110, 200)], fill=20, width=22, joint="curve")
d.line([(85, 125), (160, 125)], fill=20, width=16)
save(im, "digit-7.png")

im = Image.new("RGB", (300, 200), (205, 200, 190))
d = ImageDraw.Draw(im)
d.arc([110, 20, 190, 100], start=200, end=90, fill=(40, 40, 60), width=14)
d.arc([105, 90, 195, 180], start=270, end=160, fill=(40, 40, 60), width=14)
save(im.filter(ImageFilter.GaussianBlur(1.5)), "digit-3.jpg", quality=90)

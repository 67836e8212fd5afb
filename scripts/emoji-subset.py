#!/usr/bin/env python3
"""Make fonts/NashrEmoji.ttf: a subset of Noto Color Emoji (SIL OFL 1.1,
Debian's fonts-noto-color-emoji) holding the emoji posts use most, small
enough to bundle.

The colour bitmaps (CBDT/CBLC, one 109 ppem strike) are kept as they are;
an empty `glyf` table is added, because a PDF embeds the font for the text
layer (the emoji are drawn as images, and copy as their characters) and
PDF TrueType fonts need outlines, even empty ones. The family is renamed
so it is never mistaken for the full font.

    pip install fonttools
    python3 scripts/emoji-subset.py /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf fonts/NashrEmoji.ttf
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

EMOJI = (
    "🎉🎊🎈🎁🎂🎶🎵🎤🎸🎬🎓🏆📚📖📝📅📆📍📌📞📧📢📣💬💡🔥⭐🌟✨"
    "❤💖💙💚💛🧡💜👍👏🙌🙏👋✊🤝😀😃😊😍🥳😎🌷🌹🌸🌻🌿🍀🌍🕊☀🌙"
    "✅❌⚠➡⬅⏰☕🍵"
)
FAMILY = "Nashr Emoji"


def main(src, dst):
    font = TTFont(src)
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in EMOJI])
    sub.subset(font)
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {name: Glyph() for name in order}
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxPoints maxContours maxCompositePoints maxCompositeContours maxTwilightPoints maxStorage "
        "maxFunctionDefs maxInstructionDefs maxStackElements maxSizeOfInstructions maxComponentElements "
        "maxComponentDepth"
    ).split():
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    for rec in font["name"].names:
        if rec.nameID in (1, 4, 16):
            rec.string = FAMILY
        elif rec.nameID == 6:
            rec.string = FAMILY.replace(" ", "")
        elif rec.nameID == 3:
            rec.string = FAMILY + " (subset of Noto Color Emoji)"
    font.save(dst)


if __name__ == "__main__":
    main(*sys.argv[1:3])

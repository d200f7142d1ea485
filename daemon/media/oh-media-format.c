/* oh-media-format.c: the wire format of a call's audio frames
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-media"

#include <glib/gi18n.h>
#include "oh-error.h"
#include "oh-media-format.h"

/* Asterisk's names for the formats chan_websocket can carry raw. */
static const struct {
  const char *name;
  OhMediaEncoding encoding;
  guint rate;
} known_formats[] = {
  { "slin", OH_MEDIA_ENCODING_SLIN, 8000 },
  { "slin12", OH_MEDIA_ENCODING_SLIN, 12000 },
  { "slin16", OH_MEDIA_ENCODING_SLIN, 16000 },
  { "slin24", OH_MEDIA_ENCODING_SLIN, 24000 },
  { "slin32", OH_MEDIA_ENCODING_SLIN, 32000 },
  { "slin44", OH_MEDIA_ENCODING_SLIN, 44100 },
  { "slin48", OH_MEDIA_ENCODING_SLIN, 48000 },
  { "slin96", OH_MEDIA_ENCODING_SLIN, 96000 },
  { "slin192", OH_MEDIA_ENCODING_SLIN, 192000 },
  { "ulaw", OH_MEDIA_ENCODING_ULAW, 8000 },
};

/**
 * oh_media_format_init:
 * @format: (out caller-allocates): the format to fill
 * @name: the Asterisk format name (`slin16`, `slin`, `ulaw`, ...)
 * @frame_bytes: `optimal_frame_size`, or 0 to derive it from @ptime_ms
 * @ptime_ms: `ptime`, or 0 to derive it from @frame_bytes (20 ms if both are 0)
 *
 * Fills @format from what `MEDIA_START` announces.
 *
 * Returns: %TRUE if the PBX's format is one Offhook can play and record.
 */
gboolean
oh_media_format_init (OhMediaFormat  *format,
                      const char     *name,
                      guint           frame_bytes,
                      guint           ptime_ms,
                      GError        **error)
{
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (known_formats); i++)
    {
      guint sample_bytes;

      if (g_ascii_strcasecmp (name, known_formats[i].name) != 0)
        continue;

      format->encoding = known_formats[i].encoding;
      format->rate = known_formats[i].rate;
      format->channels = 1;
      sample_bytes = oh_media_format_get_sample_bytes (format);
      if (frame_bytes == 0 && ptime_ms == 0)
        ptime_ms = 20;
      if (frame_bytes == 0)
        frame_bytes = (guint) ((guint64) format->rate * ptime_ms / 1000) * sample_bytes;
      if (ptime_ms == 0)
        ptime_ms = (guint) ((guint64) frame_bytes / sample_bytes * 1000 / format->rate);
      format->frame_bytes = frame_bytes;
      format->ptime_ms = ptime_ms;

      return oh_media_format_validate (format, error);
    }

  g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
               _("The PBX offers audio as “%s”, which Offhook cannot play"),
               name ? name : "");
  return FALSE;
}

/**
 * oh_media_format_validate:
 *
 * Returns: %TRUE if @format describes whole mono samples in frames of at
 *   least one sample and at most one second.
 */
gboolean
oh_media_format_validate (const OhMediaFormat *format,
                          GError             **error)
{
  guint sample_bytes;

  g_return_val_if_fail (format != NULL, FALSE);

  if (format->encoding != OH_MEDIA_ENCODING_SLIN && format->encoding != OH_MEDIA_ENCODING_ULAW)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED, _("Unknown audio encoding %d"),
                   (int) format->encoding);
      return FALSE;
    }
  if (format->encoding == OH_MEDIA_ENCODING_ULAW && format->rate != 8000)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                   _("µ-law audio must be 8000 Hz, not %u Hz"), format->rate);
      return FALSE;
    }
  if (format->rate < 8000 || format->rate > 192000)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                   _("Unsupported audio rate %u Hz"), format->rate);
      return FALSE;
    }
  if (format->channels != 1)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                   _("Unsupported audio with %u channels; calls are mono"), format->channels);
      return FALSE;
    }

  sample_bytes = oh_media_format_get_sample_bytes (format);
  if (format->frame_bytes == 0 || format->frame_bytes % sample_bytes != 0 ||
      format->frame_bytes / sample_bytes > format->rate)
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _("Invalid audio frame size of %u bytes"), format->frame_bytes);
      return FALSE;
    }

  return TRUE;
}

/**
 * oh_media_format_get_sample_bytes:
 *
 * Returns: the size of one sample of one channel in bytes.
 */
guint
oh_media_format_get_sample_bytes (const OhMediaFormat *format)
{
  return (format->encoding == OH_MEDIA_ENCODING_ULAW ? 1 : 2) * MAX (format->channels, 1);
}

/**
 * oh_media_format_bytes_to_time:
 *
 * Returns: how long @bytes of audio in @format play.
 */
GstClockTime
oh_media_format_bytes_to_time (const OhMediaFormat *format,
                               gsize                bytes)
{
  return gst_util_uint64_scale (bytes / oh_media_format_get_sample_bytes (format), GST_SECOND,
                                format->rate);
}

/**
 * oh_media_format_time_to_bytes:
 *
 * Returns: the size of @time of audio in @format, in whole samples.
 */
gsize
oh_media_format_time_to_bytes (const OhMediaFormat *format,
                               GstClockTime         time)
{
  return gst_util_uint64_scale (time, format->rate, GST_SECOND) *
         oh_media_format_get_sample_bytes (format);
}

/**
 * oh_media_format_get_silence_byte:
 *
 * Returns: the byte that, repeated, encodes silence in @format.
 */
guint8
oh_media_format_get_silence_byte (const OhMediaFormat *format)
{
  /* µ-law has no zero code; 0xff is the positive code closest to it. */
  return format->encoding == OH_MEDIA_ENCODING_ULAW ? 0xff : 0x00;
}

/**
 * oh_media_format_to_caps:
 *
 * Returns: (transfer full): the GStreamer caps of frames in @format.
 */
GstCaps *
oh_media_format_to_caps (const OhMediaFormat *format)
{
  if (format->encoding == OH_MEDIA_ENCODING_ULAW)
    return gst_caps_new_simple ("audio/x-mulaw",
                                "rate", G_TYPE_INT, (int) format->rate,
                                "channels", G_TYPE_INT, (int) format->channels,
                                NULL);

  /* Frames on the wire are little-endian, as the PBX sends them. */
  return gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) format->rate,
                              "channels", G_TYPE_INT, (int) format->channels,
                              NULL);
}

/* oh-media-format.h: the wire format of a call's audio frames
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * OhMediaEncoding:
 * @OH_MEDIA_ENCODING_SLIN: signed linear 16-bit little-endian PCM at the
 *   format's rate (Asterisk `slin`, `slin16`, `slin48`, ...)
 * @OH_MEDIA_ENCODING_ULAW: G.711 µ-law, 8 kHz (Asterisk `ulaw`)
 */
typedef enum {
  OH_MEDIA_ENCODING_SLIN,
  OH_MEDIA_ENCODING_ULAW,
} OhMediaEncoding;

/**
 * OhMediaFormat:
 * @encoding: how samples are encoded
 * @rate: samples per second
 * @channels: always 1 (Asterisk media is mono)
 * @frame_bytes: the size of every frame sent to the PBX
 *   (`optimal_frame_size` of `MEDIA_START`)
 * @ptime_ms: the duration of one frame in milliseconds (`ptime`)
 *
 * The audio format of a media channel, as `MEDIA_START` announces it.
 */
typedef struct {
  OhMediaEncoding encoding;
  guint rate;
  guint channels;
  guint frame_bytes;
  guint ptime_ms;
} OhMediaFormat;

gboolean      oh_media_format_init              (OhMediaFormat  *format,
                                                 const char     *name,
                                                 guint           frame_bytes,
                                                 guint           ptime_ms,
                                                 GError        **error);
gboolean      oh_media_format_validate          (const OhMediaFormat *format,
                                                 GError             **error);
guint         oh_media_format_get_sample_bytes  (const OhMediaFormat *format);
GstClockTime  oh_media_format_bytes_to_time     (const OhMediaFormat *format,
                                                 gsize                bytes);
gsize         oh_media_format_time_to_bytes     (const OhMediaFormat *format,
                                                 GstClockTime         time);
guint8        oh_media_format_get_silence_byte  (const OhMediaFormat *format);
GstCaps      *oh_media_format_to_caps           (const OhMediaFormat *format);

G_END_DECLS

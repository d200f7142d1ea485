/* oh-ari-media.h: the media socket of one call (chan_websocket)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  OH_ARI_MEDIA_EVENT_UNKNOWN,
  OH_ARI_MEDIA_EVENT_MEDIA_START,
  OH_ARI_MEDIA_EVENT_MEDIA_XOFF,
  OH_ARI_MEDIA_EVENT_MEDIA_XON,
  OH_ARI_MEDIA_EVENT_STATUS,
  OH_ARI_MEDIA_EVENT_DTMF_END,
  OH_ARI_MEDIA_EVENT_ERROR,
  OH_ARI_MEDIA_EVENT_MEDIA_MARK_PROCESSED,
  OH_ARI_MEDIA_EVENT_MEDIA_BUFFERING_COMPLETED,
  OH_ARI_MEDIA_EVENT_QUEUE_DRAINED,
} OhAriMediaEvent;

/* One control message from chan_websocket, plain text
 * ("MEDIA_START connection_id:… format:slin16 optimal_frame_size:640
 * ptime:20") or JSON ({"event": "MEDIA_START", ...}). */
typedef struct {
  OhAriMediaEvent event;
  char           *event_name;
  char           *channel_id;
  char           *format;              /* MEDIA_START */
  guint           optimal_frame_size;  /* MEDIA_START */
  guint           ptime;               /* MEDIA_START */
  char           *digit;               /* DTMF_END */
  char           *error_text;          /* ERROR */
} OhAriMediaControl;

void     oh_ari_media_control_clear (OhAriMediaControl *control);
/* Parses a control message; malformed ones are OH_ARI_ERROR_PROTOCOL. */
gboolean oh_ari_media_control_parse (const char        *text,
                                     gsize              length,
                                     OhAriMediaControl *control,
                                     GError           **error);

#define OH_TYPE_ARI_MEDIA (oh_ari_media_get_type ())
G_DECLARE_FINAL_TYPE (OhAriMedia, oh_ari_media, OH, ARI_MEDIA, GObject)

/**
 * OhAriMedia::started:
 * @format: the format name ("slin16", "ulaw", ...)
 * @frame_size: bytes per frame
 * @ptime: milliseconds per frame
 *
 * OhAriMedia::frame:
 * @frame: (type GBytes): one frame of audio from the PBX
 *
 * OhAriMedia::flow:
 * @paused: TRUE on MEDIA_XOFF, FALSE on MEDIA_XON
 *
 * OhAriMedia::closed:
 * @unexpected: FALSE when we closed it or the PBX closed it normally (1000)
 */

/* Takes over @ws, an open media socket. json: the channel was created
 * with transport_data=f(json), so commands are JSON too. */
OhAriMedia *oh_ari_media_new        (gpointer    ws,
                                     gboolean    json);
void        oh_ari_media_send_frame (OhAriMedia   *self,
                                     const guint8 *data,
                                     gsize         length);
/* Asks the PBX to hang the media channel up, then closes the socket. */
void        oh_ari_media_hangup     (OhAriMedia *self);
gboolean    oh_ari_media_is_open    (OhAriMedia *self);

G_END_DECLS

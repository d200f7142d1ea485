/* oh-call-audio.h: the audio of one call: an externalMedia channel, its
 * media socket, and the GStreamer pipeline between them and the devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "model/oh-call.h"
#include "oh-ari-client.h"

G_BEGIN_DECLS

#define OH_TYPE_CALL_AUDIO (oh_call_audio_get_type ())
G_DECLARE_FINAL_TYPE (OhCallAudio, oh_call_audio, OH, CALL_AUDIO, GObject)

/**
 * OhCallAudio::channel-created:
 * @channel_id: the externalMedia channel just created; it joins the call's
 *   bridge once it is in Stasis (its StasisStart)
 */

OhCallAudio *oh_call_audio_new         (OhAriClient *client,
                                        OhCall      *call,
                                        const char  *source_desc,
                                        const char  *sink_desc);
/* Creates the media channel and connects its socket. */
void         oh_call_audio_start       (OhCallAudio *self);
/* The PBX ended the media channel (ChannelDestroyed): reconnect. */
void         oh_call_audio_channel_gone (OhCallAudio *self,
                                         const char  *channel_id);
void         oh_call_audio_set_held    (OhCallAudio *self,
                                        gboolean     held);
/* Hangs the media channel up and releases the devices; final. */
void         oh_call_audio_stop        (OhCallAudio *self);
const char  *oh_call_audio_get_channel_id (OhCallAudio *self);

G_END_DECLS

/* oh-call.h: one of the user's own calls
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  OH_CALL_STATE_DIALING,
  OH_CALL_STATE_RINGING_OUT,
  OH_CALL_STATE_RINGING_IN,
  OH_CALL_STATE_ACTIVE,
  OH_CALL_STATE_HELD,
  OH_CALL_STATE_ENDED,
} OhCallState;

typedef enum {
  OH_CALL_END_NONE,
  OH_CALL_END_LOCAL_HANGUP,
  OH_CALL_END_REMOTE_HANGUP,
  OH_CALL_END_REJECTED,
  OH_CALL_END_BUSY,
  OH_CALL_END_NO_ANSWER,
  OH_CALL_END_TRANSFERRED,
  OH_CALL_END_FAILED,
} OhCallEndReason;

typedef enum {
  OH_AUDIO_STATE_NONE,
  OH_AUDIO_STATE_CONNECTING,
  OH_AUDIO_STATE_FLOWING,
  OH_AUDIO_STATE_STALLED,
  OH_AUDIO_STATE_FAILED,
} OhAudioState;

const char *oh_call_state_to_string      (OhCallState state);
const char *oh_call_end_reason_to_string (OhCallEndReason reason);
const char *oh_audio_state_to_string     (OhAudioState state);

#define OH_TYPE_CALL (oh_call_get_type ())
G_DECLARE_FINAL_TYPE (OhCall, oh_call, OH, CALL, GObject)

OhCall          *oh_call_new               (guint       number,
                                            gboolean    incoming,
                                            gint64      start_time);

const char      *oh_call_get_id            (OhCall *self);
OhCallState      oh_call_get_state         (OhCall *self);
OhCallEndReason  oh_call_get_end_reason    (OhCall *self);
gboolean         oh_call_is_incoming       (OhCall *self);
const char      *oh_call_get_remote_number (OhCall *self);
const char      *oh_call_get_remote_name   (OhCall *self);
const char      *oh_call_get_remote_user   (OhCall *self);
const char      *oh_call_get_session       (OhCall *self);
gint64           oh_call_get_start_time    (OhCall *self);
gint64           oh_call_get_answer_time   (OhCall *self);
gint64           oh_call_get_end_time      (OhCall *self);
gboolean         oh_call_get_muted         (OhCall *self);
OhAudioState     oh_call_get_audio_state   (OhCall *self);

void             oh_call_set_state         (OhCall     *self,
                                            OhCallState state);
/* Ends the call (once): state ended, the reason and the end time. */
void             oh_call_end               (OhCall         *self,
                                            OhCallEndReason reason,
                                            gint64          end_time);
void             oh_call_set_remote        (OhCall     *self,
                                            const char *number,
                                            const char *name,
                                            const char *user_id);
void             oh_call_set_session       (OhCall     *self,
                                            const char *session_id);
void             oh_call_set_answer_time   (OhCall *self,
                                            gint64  answer_time);
void             oh_call_set_muted         (OhCall  *self,
                                            gboolean muted);
void             oh_call_set_audio_state   (OhCall      *self,
                                            OhAudioState state);
void             oh_call_emit_dtmf         (OhCall     *self,
                                            const char *digit);

G_END_DECLS

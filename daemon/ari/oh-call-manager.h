/* oh-call-manager.h: the user's own calls, through the daemon's Stasis
 * application
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "model/oh-account.h"
#include "model/oh-call.h"
#include "model/oh-user-list.h"
#include "oh-pbx.h"

G_BEGIN_DECLS

#define OH_TYPE_CALL_MANAGER (oh_call_manager_get_type ())
G_DECLARE_FINAL_TYPE (OhCallManager, oh_call_manager, OH, CALL_MANAGER, GObject)

/**
 * OhCallManager::call-added:
 * @call: a new call (incoming or outgoing)
 *
 * OhCallManager::call-removed:
 * @call: an ended call whose grace time is over
 */

OhCallManager *oh_call_manager_new        (OhPbx      *pbx,
                                           OhAccount  *account,
                                           OhUserList *users);
OhCall        *oh_call_manager_lookup     (OhCallManager *self,
                                           const char    *id);
/* Returns: (transfer container): the calls on the bus, oldest first. */
GPtrArray     *oh_call_manager_dup_calls  (OhCallManager *self);
/* How long an ended call stays (default 3 s). */
void           oh_call_manager_set_grace  (OhCallManager *self,
                                           guint          milliseconds);
/* The GStreamer bin descriptions of the microphone and the speaker
 * (NULL: the desktop's default, autoaudiosrc and autoaudiosink). */
void           oh_call_manager_set_audio_devices (OhCallManager *self,
                                                  const char    *source,
                                                  const char    *sink);
/* How long an outgoing call rings before it ends with no-answer
 * (default 30 s). */
void           oh_call_manager_set_ring_timeout (OhCallManager *self,
                                                 guint          seconds);
/* The dial plan context for blind transfers and external numbers
 * (default "transfer", see docs/asterisk.md). */
void           oh_call_manager_set_dial_context (OhCallManager *self,
                                                 const char    *context);

OhCall        *oh_call_manager_adopt      (OhCallManager *self,
                                           OhAriChannel  *channel,
                                           GPtrArray     *bridges,
                                           gboolean       incoming);

/* Dial: number is an extension, an external number or a user name;
 * options: caller-id (s), video (b). Finish returns the new call. */
void           oh_call_manager_dial_async  (OhCallManager       *self,
                                            const char          *number,
                                            GVariant            *options,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
OhCall        *oh_call_manager_dial_finish (OhCallManager  *self,
                                            GAsyncResult   *result,
                                            GError        **error);

typedef enum {
  OH_CALL_OP_ACCEPT,
  OH_CALL_OP_REJECT,
  OH_CALL_OP_HANGUP,
  OH_CALL_OP_HOLD,
  OH_CALL_OP_UNHOLD,
  OH_CALL_OP_TRANSFER,      /* argument: the target */
  OH_CALL_OP_TRANSFER_TO,   /* argument: the other call's id */
  OH_CALL_OP_SEND_DTMF,     /* argument: the digits */
} OhCallOp;

/* One operation on one call; errors are OH_ERROR_* with a message a
 * person can act on, and a refused operation changes nothing. */
void           oh_call_manager_op_async    (OhCallManager       *self,
                                            OhCall              *call,
                                            OhCallOp             op,
                                            const char          *argument,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       oh_call_manager_op_finish   (OhCallManager  *self,
                                            GAsyncResult   *result,
                                            GError        **error);
void           oh_call_manager_hangup_all  (OhCallManager *self);

G_END_DECLS

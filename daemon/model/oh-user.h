/* oh-user.h: one user of the PBX (an Asterisk endpoint) and their presence
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "oh-model.h"

G_BEGIN_DECLS

typedef enum {
  OH_PRESENCE_UNKNOWN,
  OH_PRESENCE_OFFLINE,
  OH_PRESENCE_AVAILABLE,
  OH_PRESENCE_RINGING,
  OH_PRESENCE_BUSY,
  OH_PRESENCE_ON_HOLD,
} OhPresence;

const char *oh_presence_to_string (OhPresence presence);

/* What a channel of the user is doing, as far as presence cares. */
typedef enum {
  OH_USER_CHANNEL_SETUP,     /* created, dialling out, not yet ringing */
  OH_USER_CHANNEL_RINGING,   /* being rung */
  OH_USER_CHANNEL_UP,        /* answered */
} OhUserChannelState;

#define OH_TYPE_USER (oh_user_get_type ())
G_DECLARE_FINAL_TYPE (OhUser, oh_user, OH, USER, GObject)

OhUser       *oh_user_new              (const char *technology,
                                        const char *resource);

const char   *oh_user_get_id           (OhUser *self);
const char   *oh_user_get_technology   (OhUser *self);
const char   *oh_user_get_resource     (OhUser *self);
const char   *oh_user_get_full_name    (OhUser *self);
const char   *oh_user_get_extension    (OhUser *self);
const char   *oh_user_get_mobile       (OhUser *self);
const char   *oh_user_get_email        (OhUser *self);
const char *const *oh_user_get_devices (OhUser *self);
const char *const *oh_user_get_sessions (OhUser *self);
OhPresence    oh_user_get_presence     (OhUser *self);

void          oh_user_set_full_name    (OhUser     *self,
                                        const char *full_name);
void          oh_user_set_extension    (OhUser     *self,
                                        const char *extension);
void          oh_user_set_mobile       (OhUser     *self,
                                        const char *mobile);
void          oh_user_set_email        (OhUser     *self,
                                        const char *email);

/* Inputs presence is derived from. */
void          oh_user_set_endpoint_state (OhUser     *self,
                                          const char *state);
void          oh_user_set_device_state   (OhUser     *self,
                                          const char *state);
void          oh_user_set_devices        (OhUser            *self,
                                          const char *const *devices);
void          oh_user_add_device         (OhUser     *self,
                                          const char *uri);
void          oh_user_remove_device      (OhUser     *self,
                                          const char *uri);
void          oh_user_update_channel     (OhUser            *self,
                                          const char        *channel_id,
                                          OhUserChannelState state);
void          oh_user_set_channel_held   (OhUser     *self,
                                          const char *channel_id,
                                          gboolean    held);
void          oh_user_remove_channel     (OhUser     *self,
                                          const char *channel_id);
void          oh_user_clear_channels     (OhUser     *self);
gboolean      oh_user_has_channel        (OhUser     *self,
                                          const char *channel_id);
GPtrArray    *oh_user_dup_channel_ids    (OhUser *self);

void          oh_user_add_session        (OhUser     *self,
                                          const char *session_id);
void          oh_user_remove_session     (OhUser     *self,
                                          const char *session_id);
void          oh_user_set_observer       (OhUser         *self,
                                          OhModelObserver observer,
                                          gpointer        data);

G_END_DECLS

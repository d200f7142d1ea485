/* oh-account.h: the account and the state of its PBX connection
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  OH_ACCOUNT_STATE_DISCONNECTED,
  OH_ACCOUNT_STATE_CONNECTING,
  OH_ACCOUNT_STATE_CONNECTED,
  OH_ACCOUNT_STATE_ACCESS_DENIED,
  OH_ACCOUNT_STATE_FAILED,
} OhAccountState;

const char *oh_account_state_to_string (OhAccountState state);

#define OH_TYPE_ACCOUNT (oh_account_get_type ())
G_DECLARE_FINAL_TYPE (OhAccount, oh_account, OH, ACCOUNT, GObject)

OhAccount      *oh_account_new             (void);

OhAccountState  oh_account_get_state       (OhAccount  *self);
const char     *oh_account_get_server      (OhAccount  *self);
const char     *oh_account_get_username    (OhAccount  *self);
const char     *oh_account_get_extension   (OhAccount  *self);
const char     *oh_account_get_application (OhAccount  *self);
const char     *oh_account_get_last_error  (OhAccount  *self);
const char     *oh_account_get_pbx_version (OhAccount  *self);
gint64          oh_account_get_retry_time  (OhAccount  *self);

void            oh_account_set_state       (OhAccount     *self,
                                            OhAccountState state);
void            oh_account_set_server      (OhAccount  *self,
                                            const char *server);
void            oh_account_set_username    (OhAccount  *self,
                                            const char *username);
void            oh_account_set_extension   (OhAccount  *self,
                                            const char *extension);
void            oh_account_set_application (OhAccount  *self,
                                            const char *application);
void            oh_account_set_last_error  (OhAccount  *self,
                                            const char *last_error);
void            oh_account_set_pbx_version (OhAccount  *self,
                                            const char *pbx_version);
void            oh_account_set_retry_time  (OhAccount  *self,
                                            gint64      retry_time);

G_END_DECLS

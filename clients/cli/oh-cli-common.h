/* oh-cli-common.h: what every offhook command shares
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "oh-dbus-generated.h"

G_BEGIN_DECLS

/* Exit codes, documented in offhook(1). */
typedef enum {
  OH_EXIT_OK = 0,
  OH_EXIT_FAILED = 1,
  OH_EXIT_INVALID_ARGUMENT = 2,
  OH_EXIT_UNREACHABLE = 3,
  OH_EXIT_NOT_CONNECTED = 4,
  OH_EXIT_NOT_FOUND = 5,
} OhExit;

typedef struct {
  GDBusConnection *bus;
  gboolean         json;
  gboolean         color;
} OhCli;

int  oh_cli_fail        (const GError *error);
int  oh_cli_usage_error (const char   *format,
                         ...) G_GNUC_PRINTF (1, 2);
int  oh_cli_unreachable (const GError *error);

char *oh_cli_variant_to_json (GVariant *value);

OhDBusAccount *oh_cli_account_proxy (OhCli   *cli,
                                     GError **error);

G_END_DECLS

/* oh-daemon.h: the process: bus name, life cycle, wiring of the layers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OH_TYPE_DAEMON (oh_daemon_get_type ())
G_DECLARE_FINAL_TYPE (OhDaemon, oh_daemon, OH, DAEMON, GObject)

OhDaemon *oh_daemon_new (void);
int       oh_daemon_run (OhDaemon *self,
                         gboolean  replace);

int       oh_daemon_main (int    argc,
                          char **argv);

G_END_DECLS

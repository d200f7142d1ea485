/* offhook-hud.c: the Offhook HUD, a GTK window onto the Offhook daemon
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <locale.h>
#include <glib/gi18n.h>

#include "oh-hud-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(OhHudApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("offhook-hud");

  app = oh_hud_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

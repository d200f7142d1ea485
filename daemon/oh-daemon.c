/* oh-daemon.c: the process: bus name, life cycle, wiring of the layers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gst/gst.h>

#include "bus/oh-bus.h"
#include "oh-daemon.h"
#include "oh-error.h"
#include "oh-service.h"

struct _OhDaemon
{
  GObject parent_instance;

  GMainLoop *loop;
  OhService *service;
  OhBus     *bus;
  guint      owner_id;
  gboolean   name_acquired;
  int        exit_code;
};

G_DEFINE_FINAL_TYPE (OhDaemon, oh_daemon, G_TYPE_OBJECT)

static void
oh_daemon_quit (OhDaemon *self,
                int       exit_code)
{
  self->exit_code = exit_code;
  g_main_loop_quit (self->loop);
}

static void
on_bus_acquired (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  OhDaemon *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Export before the name is ours, so the first client that sees the name
   * also sees the objects. */
  if (!oh_bus_export (self->bus, connection, &error))
    {
      g_warning ("Cannot export objects: %s", error->message);
      oh_daemon_quit (self, 1);
    }
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  OhDaemon *self = user_data;

  self->name_acquired = TRUE;
  g_debug ("Owns %s", name);
  oh_service_start (self->service);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  OhDaemon *self = user_data;

  if (connection == NULL)
    {
      g_warning ("Cannot connect to the session bus");
      oh_daemon_quit (self, 1);
    }
  else if (!self->name_acquired)
    {
      g_printerr (_("Another Offhook daemon owns %s; use --replace to take over\n"), name);
      oh_daemon_quit (self, 1);
    }
  else
    {
      g_message ("Lost %s to another instance, exiting", name);
      oh_daemon_quit (self, 0);
    }
}

static gboolean
on_quit_signal (gpointer user_data)
{
  OhDaemon *self = user_data;

  g_debug ("Terminating on signal");
  oh_daemon_quit (self, 0);
  return G_SOURCE_CONTINUE;
}

static void
oh_daemon_dispose (GObject *object)
{
  OhDaemon *self = OH_DAEMON (object);

  if (self->owner_id)
    {
      g_bus_unown_name (self->owner_id);
      self->owner_id = 0;
    }
  g_clear_object (&self->bus);
  g_clear_object (&self->service);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  G_OBJECT_CLASS (oh_daemon_parent_class)->dispose (object);
}

static void
oh_daemon_class_init (OhDaemonClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_daemon_dispose;
}

static void
oh_daemon_init (OhDaemon *self)
{
  self->loop = g_main_loop_new (NULL, FALSE);
}

OhDaemon *
oh_daemon_new (void)
{
  return g_object_new (OH_TYPE_DAEMON, NULL);
}

/**
 * oh_daemon_run:
 * @replace: take the bus name over from a running instance
 *
 * Owns the bus name and runs until a signal, or the name is lost.
 *
 * Returns: the process exit code.
 */
int
oh_daemon_run (OhDaemon *self,
               gboolean  replace)
{
  GBusNameOwnerFlags flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT;
  guint sigterm_id, sigint_id;

  g_return_val_if_fail (OH_IS_DAEMON (self), 1);

  /* Make sure the error domain is known to GDBus before any method runs. */
  (void) OH_ERROR;

  self->service = oh_service_new ();
  self->bus = oh_bus_new (self->service);

  if (replace)
    flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
  self->owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, OH_BUS_NAME, flags,
                                   on_bus_acquired, on_name_acquired,
                                   on_name_lost, self, NULL);

  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);

  g_main_loop_run (self->loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_bus_unown_name (self->owner_id);
  self->owner_id = 0;
  oh_bus_unexport (self->bus);

  return self->exit_code;
}

/**
 * oh_daemon_main:
 *
 * Everything main() does, here so that the static library holds it.
 */
int
oh_daemon_main (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDaemon) daemon = NULL;
  gboolean replace = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 'r', 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace a running instance"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Print debug messages"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Offhook: the PBX on the desktop bus"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("offhookd %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_printerr ("Cannot start GStreamer: %s\n", error->message);
      return 1;
    }

  /* Our own debug messages, not those of every library below us (unless
   * G_MESSAGES_DEBUG asks for them). */
  if (verbose && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_setenv ("G_MESSAGES_DEBUG",
              "offhook offhook-ari offhook-bus offhook-model offhook-store offhook-media", TRUE);

  daemon = oh_daemon_new ();
  return oh_daemon_run (daemon, replace);
}

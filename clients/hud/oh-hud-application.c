/* oh-hud-application.c: the HUD application and its actions
 *
 * "org.offhook.Hud". Every button of the HUD activates one of the actions
 * below, and GtkApplication exports them on the session bus
 * (org.gtk.Actions at /org/offhook/Hud), so scripts and tests drive the
 * HUD exactly as a person does:
 *
 *   show-view s         users | calls | sessions | history | chat
 *   new-window          another window onto the same state
 *   set-number s        types a number into the dial pad (as a tel: link would)
 *   dial s              Phone.Dial()
 *   call-user s         User.Call() of the user at that path
 *   call-mobile s       User.CallMobile()
 *   accept-call s, reject-call s, hangup-call s, hold-call s,
 *   resume-call s       the Call methods, by path
 *   mute-call (sb)      sets Call.Muted
 *   send-dtmf (ss)      Call.SendDtmf(digits)
 *   transfer (ss)       Call.Transfer(target), blind
 *   transfer-to (ss)    Call.TransferTo(other call), attended
 *   hangup-all          Phone.HangupAll()
 *   open-chat s         the conversation with a user (extension or name)
 *   send-message (ss)   Chat.Send(to, body)
 *   search-users s      types into the users search
 *   focus-search        moves the keyboard focus to it
 *   history-filter a{sv} text s, missed-only b, since x, until x, page u
 *   connect, disconnect, logout   Account.Connect/Disconnect/Logout
 *   color-scheme s      default | light | dark (stateful)
 *   screenshot s        writes the active window as a PNG to that path
 *   dump-state s        writes what the windows show as JSON to that path
 *   about, quit
 *
 * The actions that act on "the window" use the active one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "oh-hud-application.h"
#include "oh-hud-client.h"
#include "oh-hud-screenshot.h"
#include "oh-hud-util.h"
#include "oh-hud-window.h"

struct _OhHudApplication
{
  AdwApplication  parent_instance;

  OhHudClient    *client;
};

G_DEFINE_FINAL_TYPE (OhHudApplication, oh_hud_application, ADW_TYPE_APPLICATION)

#define CALL_IFACE "org.offhook.Offhook1.Call"

static OhHudWindow *
current_window (OhHudApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (OH_IS_HUD_WINDOW (window))
    return OH_HUD_WINDOW (window);
  window = GTK_WINDOW (oh_hud_window_new (GTK_APPLICATION (self), self->client));
  gtk_window_present (window);
  return OH_HUD_WINDOW (window);
}

/* --- windows and views ----------------------------------------------- */

static void
new_window (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  OhHudApplication *self = data;
  OhHudWindow *current = OH_IS_HUD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self)))
                           ? OH_HUD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self)))
                           : NULL;
  OhHudWindow *window = oh_hud_window_new (GTK_APPLICATION (self), self->client);

  if (current && oh_hud_window_get_view (current))
    oh_hud_window_show_view (window, oh_hud_window_get_view (current));
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_view (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       data)
{
  OhHudApplication *self = data;
  const char *name = g_variant_get_string (parameter, NULL);

  if (!oh_hud_window_show_view (current_window (self), name))
    g_warning ("There is no view “%s”", name);
}

static void
set_number (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  oh_hud_window_set_number (current_window (data), g_variant_get_string (parameter, NULL));
}

static void
search_users (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  oh_hud_window_set_user_search (current_window (data), g_variant_get_string (parameter, NULL));
}

static void
focus_search (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  oh_hud_window_focus_search (current_window (data));
}

static void
history_filter (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  g_autoptr(GError) error = NULL;

  if (!oh_hud_window_set_history_filter (current_window (data), parameter, &error))
    oh_hud_report_error (error);
}

static void
color_scheme (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  const char *name = g_variant_get_string (parameter, NULL);
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (name, "light"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (name, "dark"))
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  else if (!g_str_equal (name, "default"))
    return;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  g_simple_action_set_state (action, parameter);
}

/* --- the account ----------------------------------------------------- */

static OhDBusAccount *
account_or_report (OhHudApplication *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (self->client);

  if (account == NULL)
    oh_hud_report_message (_("The Offhook service is not running"));
  return account;
}

static void
connect_account (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  OhDBusAccount *account = account_or_report (data);

  if (account)
    oh_dbus_account_call_connect (account, NULL, oh_hud_on_call_done, NULL);
}

static void
disconnect_account (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  OhDBusAccount *account = account_or_report (data);

  if (account)
    oh_dbus_account_call_disconnect (account, NULL, oh_hud_on_call_done, NULL);
}

static void
on_logout_response (AdwMessageDialog *dialog,
                    const char       *response,
                    OhHudApplication *self)
{
  OhDBusAccount *account;

  if (!g_str_equal (response, "logout") || (account = account_or_report (self)) == NULL)
    return;
  oh_dbus_account_call_logout (account, NULL, oh_hud_on_call_done, NULL);
}

static void
logout (GSimpleAction *action,
        GVariant      *parameter,
        gpointer       data)
{
  OhHudApplication *self = data;
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (current_window (self)),
                                              _("Sign Out?"),
                                              _("The account and its password are removed from "
                                                "this computer. Your call history stays."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "logout", _("_Sign Out"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "logout",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_logout_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- calls ----------------------------------------------------------- */

static void
on_dialled (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(OhHudApplication) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (reply == NULL)
    {
      oh_hud_report_error (error);
      return;
    }
  oh_hud_window_show_view (current_window (self), "calls");
}

static void
dial (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       data)
{
  OhHudApplication *self = data;
  OhDBusPhone *phone = oh_hud_client_get_phone (self->client);
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (phone == NULL)
    {
      oh_hud_report_message (_("The Offhook service is not running"));
      return;
    }
  oh_dbus_phone_call_dial (phone, g_variant_get_string (parameter, NULL),
                           g_variant_builder_end (&options), NULL, on_dialled,
                           g_object_ref (self));
}

static OhDBusUser *
user_or_report (OhHudApplication *self,
                GVariant         *parameter)
{
  OhDBusUser *user = oh_hud_client_lookup_user (self->client,
                                                g_variant_get_string (parameter, NULL));

  if (user == NULL)
    oh_hud_report_message (_("That user is no longer on the phone system"));
  return user;
}

static void
call_user (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       data)
{
  OhDBusUser *user = user_or_report (data, parameter);

  if (user)
    oh_dbus_user_call_call (user, NULL, on_dialled, g_object_ref (data));
}

static void
call_mobile (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  OhDBusUser *user = user_or_report (data, parameter);

  if (user)
    oh_dbus_user_call_call_mobile (user, NULL, on_dialled, g_object_ref (data));
}

/* Calls @method of the call at the path in @parameter's first string. */
static void
call_method (OhHudApplication *self,
             GVariant         *parameter,
             const char       *method,
             GVariant         *args)
{
  g_autoptr(GVariant) owned_args = args ? g_variant_ref_sink (args) : NULL;
  const char *path = NULL;
  OhDBusCall *call;

  if (g_variant_is_of_type (parameter, G_VARIANT_TYPE_STRING))
    path = g_variant_get_string (parameter, NULL);
  else
    g_variant_get_child (parameter, 0, "&s", &path);
  call = oh_hud_client_lookup_call (self->client, path);
  if (call == NULL)
    {
      oh_hud_report_message (_("That call has ended"));
      return;
    }
  g_dbus_proxy_call (G_DBUS_PROXY (call), method, owned_args, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                     oh_hud_on_call_done, NULL);
}

#define SIMPLE_CALL_ACTION(name, method)                                       \
  static void name (GSimpleAction *action, GVariant *parameter, gpointer data) \
  {                                                                            \
    call_method (data, parameter, method, NULL);                               \
  }

SIMPLE_CALL_ACTION (accept_call, "Accept")
SIMPLE_CALL_ACTION (reject_call, "Reject")
SIMPLE_CALL_ACTION (hangup_call, "Hangup")
SIMPLE_CALL_ACTION (hold_call, "Hold")
SIMPLE_CALL_ACTION (resume_call, "Unhold")

static void
mute_call (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       data)
{
  gboolean muted;

  g_variant_get_child (parameter, 1, "b", &muted);
  call_method (data, parameter, "org.freedesktop.DBus.Properties.Set",
               g_variant_new ("(ssv)", CALL_IFACE, "Muted", g_variant_new_boolean (muted)));
}

static void
send_dtmf (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       data)
{
  const char *digits;

  g_variant_get_child (parameter, 1, "&s", &digits);
  call_method (data, parameter, "SendDtmf", g_variant_new ("(s)", digits));
}

static void
transfer (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       data)
{
  const char *target;

  g_variant_get_child (parameter, 1, "&s", &target);
  call_method (data, parameter, "Transfer", g_variant_new ("(s)", target));
}

static void
transfer_to (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  const char *other;

  g_variant_get_child (parameter, 1, "&s", &other);
  if (!g_variant_is_object_path (other))
    {
      oh_hud_report_message (_("That call has ended"));
      return;
    }
  call_method (data, parameter, "TransferTo", g_variant_new ("(o)", other));
}

static void
hangup_all (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  OhHudApplication *self = data;
  OhDBusPhone *phone = oh_hud_client_get_phone (self->client);

  if (phone)
    oh_dbus_phone_call_hangup_all (phone, NULL, oh_hud_on_call_done, NULL);
}

/* --- chat ------------------------------------------------------------ */

static void
open_chat (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       data)
{
  const char *peer = g_variant_get_string (parameter, NULL);

  if (!oh_hud_window_open_chat (current_window (data), peer))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a user of the phone system"),
                                                  peer);

      oh_hud_report_message (message);
    }
}

static void
send_message (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  OhHudApplication *self = data;
  OhDBusChat *chat = oh_hud_client_get_chat (self->client);
  const char *to;
  const char *body;

  g_variant_get (parameter, "(&s&s)", &to, &body);
  if (chat == NULL)
    {
      oh_hud_report_message (_("The Offhook service is not running"));
      return;
    }
  oh_dbus_chat_call_send (chat, to, body, NULL, oh_hud_on_call_done, NULL);
}

/* --- for scripts and tests ------------------------------------------- */

static void
on_screenshot (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GApplication) app = data;
  g_autoptr(GError) error = NULL;

  if (!oh_hud_screenshot_finish (GTK_WIDGET (source), result, &error))
    g_warning ("Screenshot failed: %s", error->message);
  g_application_release (app);
}

static void
screenshot (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  OhHudApplication *self = data;

  g_application_hold (G_APPLICATION (self));
  oh_hud_screenshot_async (GTK_WIDGET (current_window (self)),
                           g_variant_get_string (parameter, NULL), NULL, on_screenshot,
                           g_object_ref (self));
}

static void
dump_state (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       data)
{
  OhHudApplication *self = data;
  const char *path = g_variant_get_string (parameter, NULL);
  OhHudWindow *active = current_window (self);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  guint count = 0;

  for (GList *l = windows; l; l = l->next)
    count += OH_IS_HUD_WINDOW (l->data);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ready");
  json_builder_add_boolean_value (builder, oh_hud_client_get_ready (self->client));
  json_builder_set_member_name (builder, "daemon-running");
  json_builder_add_boolean_value (builder, oh_hud_client_get_daemon_running (self->client));
  json_builder_set_member_name (builder, "window-count");
  json_builder_add_int_value (builder, count);
  oh_hud_window_dump (active, builder);
  json_builder_set_member_name (builder, "windows");
  json_builder_begin_array (builder);
  for (GList *l = windows; l; l = l->next)
    if (OH_IS_HUD_WINDOW (l->data))
      {
        json_builder_begin_object (builder);
        oh_hud_window_dump (l->data, builder);
        json_builder_end_object (builder);
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  if (!g_file_set_contents (path, json, -1, &error))
    g_warning ("Cannot write the state: %s", error->message);
}

static void
about (GSimpleAction *action,
       GVariant      *parameter,
       gpointer       data)
{
  OhHudApplication *self = data;
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), GTK_WINDOW (current_window (self)));
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Offhook HUD"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), "call-start-symbolic");
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("Your company phone system on the desktop: who is available, "
                                   "your calls, every call on the system, history and chat."));
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_2_0);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       data)
{
  g_application_quit (G_APPLICATION (data));
}

static const GActionEntry actions[] = {
  { "new-window", new_window },
  { "show-view", show_view, "s" },
  { "search-users", search_users, "s" },
  { "focus-search", focus_search },
  { "history-filter", history_filter, "a{sv}" },
  { "color-scheme", NULL, "s", "'default'", color_scheme },
  { "connect", connect_account },
  { "disconnect", disconnect_account },
  { "logout", logout },
  { "set-number", set_number, "s" },
  { "dial", dial, "s" },
  { "call-user", call_user, "s" },
  { "call-mobile", call_mobile, "s" },
  { "accept-call", accept_call, "s" },
  { "reject-call", reject_call, "s" },
  { "hangup-call", hangup_call, "s" },
  { "hold-call", hold_call, "s" },
  { "resume-call", resume_call, "s" },
  { "mute-call", mute_call, "(sb)" },
  { "send-dtmf", send_dtmf, "(ss)" },
  { "transfer", transfer, "(ss)" },
  { "transfer-to", transfer_to, "(ss)" },
  { "hangup-all", hangup_all },
  { "open-chat", open_chat, "s" },
  { "send-message", send_message, "(ss)" },
  { "screenshot", screenshot, "s" },
  { "dump-state", dump_state, "s" },
  { "about", about },
  { "quit", quit },
};

static const struct {
  const char *action;
  const char *accels[2];
} accels[] = {
  { "app.show-view::users", { "<Alt>1", NULL } },
  { "app.show-view::calls", { "<Alt>2", NULL } },
  { "app.show-view::sessions", { "<Alt>3", NULL } },
  { "app.show-view::history", { "<Alt>4", NULL } },
  { "app.show-view::chat", { "<Alt>5", NULL } },
  { "app.focus-search", { "<Control>f", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

/* --- GApplication ---------------------------------------------------- */

static void
oh_hud_application_startup (GApplication *application)
{
  OhHudApplication *self = OH_HUD_APPLICATION (application);

  G_APPLICATION_CLASS (oh_hud_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  self->client = oh_hud_client_new ();
}

static void
oh_hud_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (current_window (OH_HUD_APPLICATION (application))));
}

static void
oh_hud_application_shutdown (GApplication *application)
{
  OhHudApplication *self = OH_HUD_APPLICATION (application);

  G_APPLICATION_CLASS (oh_hud_application_parent_class)->shutdown (application);
  g_clear_object (&self->client);
}

static void
oh_hud_application_class_init (OhHudApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = oh_hud_application_startup;
  app_class->activate = oh_hud_application_activate;
  app_class->shutdown = oh_hud_application_shutdown;
}

static void
oh_hud_application_init (OhHudApplication *self)
{
}

/**
 * oh_hud_application_new:
 *
 * Returns: (transfer full): the HUD
 */
OhHudApplication *
oh_hud_application_new (void)
{
  return g_object_new (OH_TYPE_HUD_APPLICATION,
                       "application-id", "org.offhook.Hud",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/offhook/Hud",
                       NULL);
}

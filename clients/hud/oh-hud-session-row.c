/* oh-hud-session-row.c: one call anywhere on the PBX
 *
 * Caller → callee, the state, and the talk time, which counts from the
 * session's AnswerTime on the local clock (the daemon sends no
 * per-second changes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-format.h"
#include "oh-hud-session-row.h"
#include "oh-hud-util.h"

struct _OhHudSessionRow
{
  AdwActionRow   parent_instance;

  OhHudClient   *client;
  OhDBusSession *session;

  GtkWidget     *icon;
  GtkWidget     *state;
  GtkWidget     *timer;

  char          *shown_state;
};

G_DEFINE_FINAL_TYPE (OhHudSessionRow, oh_hud_session_row, ADW_TYPE_ACTION_ROW)

static const char *
state_icon (const char *state)
{
  if (g_strcmp0 (state, "ringing") == 0 || g_strcmp0 (state, "setup") == 0)
    return "call-outgoing-symbolic";
  if (g_strcmp0 (state, "on-hold") == 0)
    return "media-playback-pause-symbolic";
  if (g_strcmp0 (state, "completed") == 0)
    return "call-stop-symbolic";
  return "call-start-symbolic";
}

static void
render_timer (OhHudSessionRow *self)
{
  g_autofree char *talk =
    oh_hud_format_elapsed (oh_dbus_session_get_answer_time (self->session), g_get_real_time ());

  gtk_label_set_text (GTK_LABEL (self->timer), talk);
}

static void
render (OhHudSessionRow *self)
{
  const char *state = oh_dbus_session_get_state (self->session);
  g_autofree char *caller = oh_hud_party (oh_dbus_session_get_caller_name (self->session),
                                          oh_dbus_session_get_caller (self->session));
  g_autofree char *callee = oh_hud_party (oh_dbus_session_get_callee_name (self->session),
                                          oh_dbus_session_get_callee (self->session));
  g_autofree char *title = NULL;
  g_autofree char *started = oh_hud_format_time (oh_dbus_session_get_start_time (self->session),
                                                 NULL);
  g_autofree char *subtitle = NULL;

  g_free (self->shown_state);
  self->shown_state = g_strdup (state ? state : "");
  /* TRANSLATORS: a call between two parties, "Bob Brown (101) → Carol Chen (102)" */
  title = g_strdup_printf (_("%s → %s"), caller, callee);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  /* TRANSLATORS: when a call started, "Started 14:05" */
  subtitle = g_strdup_printf (_("Started %s"), started);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), state_icon (state));
  gtk_label_set_text (GTK_LABEL (self->state), oh_hud_session_state_label (state));
  oh_hud_set_css_state (self->state, "state-", state);
  oh_hud_set_css_state (self->icon, "state-", state);
  render_timer (self);
}

static void
on_session_changed (OhDBusSession   *session,
                    GParamSpec      *pspec,
                    OhHudSessionRow *self)
{
  render (self);
}

static void
on_tick (OhHudClient     *client,
         OhHudSessionRow *self)
{
  render_timer (self);
}

static void
oh_hud_session_row_dispose (GObject *object)
{
  OhHudSessionRow *self = OH_HUD_SESSION_ROW (object);

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->session);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_session_row_parent_class)->dispose (object);
}

static void
oh_hud_session_row_finalize (GObject *object)
{
  OhHudSessionRow *self = OH_HUD_SESSION_ROW (object);

  g_free (self->shown_state);

  G_OBJECT_CLASS (oh_hud_session_row_parent_class)->finalize (object);
}

static void
oh_hud_session_row_class_init (OhHudSessionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_session_row_dispose;
  object_class->finalize = oh_hud_session_row_finalize;
}

static void
oh_hud_session_row_init (OhHudSessionRow *self)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  self->icon = gtk_image_new ();
  gtk_widget_add_css_class (self->icon, "session-icon");
  gtk_widget_set_valign (self->icon, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), self->icon);
  self->state = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->state, "session-pill");
  gtk_widget_set_valign (self->state, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->state);
  self->timer = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->timer, "numeric");
  gtk_widget_add_css_class (self->timer, "session-timer");
  gtk_label_set_xalign (GTK_LABEL (self->timer), 1);
  gtk_label_set_width_chars (GTK_LABEL (self->timer), 7);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->timer);
}

/**
 * oh_hud_session_row_new:
 * @client: the HUD's client
 * @session: a session
 *
 * Returns: (transfer floating): a row that follows @session
 */
GtkWidget *
oh_hud_session_row_new (OhHudClient   *client,
                        OhDBusSession *session)
{
  OhHudSessionRow *self = g_object_new (OH_TYPE_HUD_SESSION_ROW, NULL);

  self->client = g_object_ref (client);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify", G_CALLBACK (on_session_changed), self, 0);
  g_signal_connect (client, "tick", G_CALLBACK (on_tick), self);
  render (self);
  return GTK_WIDGET (self);
}

/**
 * oh_hud_session_row_dump:
 * @builder: inside an array
 *
 * Adds what the row shows, as an object.
 */
void
oh_hud_session_row_dump (OhHudSessionRow *self,
                         JsonBuilder     *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder,
                                 g_dbus_proxy_get_object_path (G_DBUS_PROXY (self->session)));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, self->shown_state);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder,
                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
  json_builder_set_member_name (builder, "state-label");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->state)));
  json_builder_set_member_name (builder, "answer-time");
  json_builder_add_int_value (builder, oh_dbus_session_get_answer_time (self->session));
  json_builder_set_member_name (builder, "talk-time");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->timer)));
  json_builder_end_object (builder);
}

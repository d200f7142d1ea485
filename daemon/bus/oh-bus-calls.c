/* oh-bus-calls.c: the Phone interface and the user's Call objects
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-bus"

#include <glib/gi18n.h>

#include "oh-bus-private.h"
#include "oh-error.h"

static OhCallManager *
manager (OhBus *self)
{
  return oh_service_get_calls (oh_bus_get_service (self));
}

static void
update_calls_property (OhBus       *self,
                       OhDBusPhone *phone)
{
  g_autoptr(GPtrArray) calls = oh_call_manager_dup_calls (manager (self));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < calls->len; i++)
    g_ptr_array_add (paths, oh_bus_make_path (CALL_PATH_PREFIX,
                                              oh_call_get_id (g_ptr_array_index (calls, i))));
  g_ptr_array_add (paths, NULL);
  oh_dbus_phone_set_calls (phone, (const char *const *) paths->pdata);
}

static void
mirror_call (GObject    *model,
             GObject    *skeleton,
             const char *name)
{
  OhCall *call = OH_CALL (model);

  if (g_str_equal (name, "remote-user"))
    {
      const char *user = oh_call_get_remote_user (call);
      g_autofree char *path = *user ? oh_bus_make_path (USER_PATH_PREFIX, user) : g_strdup ("/");

      oh_dbus_call_set_remote_user (OH_DBUS_CALL (skeleton), path);
    }
  else if (g_str_equal (name, "session"))
    {
      const char *session = oh_call_get_session (call);
      g_autofree char *path = *session ? oh_bus_make_path (SESSION_PATH_PREFIX, session)
                                       : g_strdup ("/");

      oh_dbus_call_set_session (OH_DBUS_CALL (skeleton), path);
    }
  else
    oh_bus_copy_property (model, skeleton, name);
}

/* --- methods of a call ----------------------------------------------- */

static void
on_op_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (oh_call_manager_op_finish (OH_CALL_MANAGER (source), result, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_take_error (invocation, error);
}

static gboolean
run_op (OhBus                 *self,
        GDBusMethodInvocation *invocation,
        OhCall                *call,
        OhCallOp               op,
        const char            *argument)
{
  oh_call_manager_op_async (manager (self), call, op, argument, NULL, on_op_done,
                            g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

#define CALL_OF(iface) ((OhCall *) g_object_get_data (G_OBJECT (iface), "oh-call"))

static gboolean
on_handle_accept (OhDBusCall *iface, GDBusMethodInvocation *invocation, OhBus *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_ACCEPT, NULL);
}

static gboolean
on_handle_reject (OhDBusCall *iface, GDBusMethodInvocation *invocation, OhBus *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_REJECT, NULL);
}

static gboolean
on_handle_hangup (OhDBusCall *iface, GDBusMethodInvocation *invocation, OhBus *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_HANGUP, NULL);
}

static gboolean
on_handle_hold (OhDBusCall *iface, GDBusMethodInvocation *invocation, OhBus *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_HOLD, NULL);
}

static gboolean
on_handle_unhold (OhDBusCall *iface, GDBusMethodInvocation *invocation, OhBus *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_UNHOLD, NULL);
}

static gboolean
on_handle_transfer (OhDBusCall            *iface,
                    GDBusMethodInvocation *invocation,
                    const char            *target,
                    OhBus                 *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_TRANSFER, target);
}

static gboolean
on_handle_transfer_to (OhDBusCall            *iface,
                       GDBusMethodInvocation *invocation,
                       const char            *other,
                       OhBus                 *self)
{
  const char *id = g_str_has_prefix (other, CALL_PATH_PREFIX) ? other + strlen (CALL_PATH_PREFIX) : "";

  if (oh_call_manager_lookup (manager (self), id) == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, OH_ERROR, OH_ERROR_NOT_FOUND,
                                             _("%s is not a call of yours"), other);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_TRANSFER_TO, id);
}

static gboolean
on_handle_send_dtmf (OhDBusCall            *iface,
                     GDBusMethodInvocation *invocation,
                     const char            *digits,
                     OhBus                 *self)
{
  return run_op (self, invocation, CALL_OF (iface), OH_CALL_OP_SEND_DTMF, digits);
}

static void
on_skeleton_muted (OhDBusCall *iface,
                   GParamSpec *pspec,
                   OhCall     *call)
{
  /* Muted is writable from the bus. */
  oh_call_set_muted (call, oh_dbus_call_get_muted (iface));
}

static void
on_dtmf_received (OhCall     *call,
                  const char *digit,
                  OhDBusCall *iface)
{
  oh_dbus_call_emit_dtmf_received (iface, digit);
}

/* --- calls appearing and going --------------------------------------- */

static void
on_call_added (OhCallManager *calls,
               OhCall        *call,
               OhBus         *self)
{
  OhDBusPhone *phone = g_object_get_data (G_OBJECT (self), "oh-phone");
  g_autofree char *path = oh_bus_make_path (CALL_PATH_PREFIX, oh_call_get_id (call));
  g_autoptr(OhDBusCall) iface = oh_dbus_call_skeleton_new ();
  static const struct {
    const char *signal;
    GCallback   handler;
  } handlers[] = {
    { "handle-accept", G_CALLBACK (on_handle_accept) },
    { "handle-reject", G_CALLBACK (on_handle_reject) },
    { "handle-hangup", G_CALLBACK (on_handle_hangup) },
    { "handle-hold", G_CALLBACK (on_handle_hold) },
    { "handle-unhold", G_CALLBACK (on_handle_unhold) },
    { "handle-transfer", G_CALLBACK (on_handle_transfer) },
    { "handle-transfer-to", G_CALLBACK (on_handle_transfer_to) },
    { "handle-send-dtmf", G_CALLBACK (on_handle_send_dtmf) },
  };

  g_object_set_data_full (G_OBJECT (iface), "oh-call", g_object_ref (call), g_object_unref);
  oh_bus_mirror_properties (G_OBJECT (call), G_OBJECT (iface), mirror_call);
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect_object (iface, handlers[i].signal, handlers[i].handler, self, 0);
  g_signal_connect_object (iface, "notify::muted", G_CALLBACK (on_skeleton_muted), call, 0);
  g_signal_connect_object (call, "dtmf-received", G_CALLBACK (on_dtmf_received), iface, 0);
  oh_bus_objects_add_skeleton (oh_bus_get_objects (self), path, G_DBUS_INTERFACE_SKELETON (iface));

  update_calls_property (self, phone);
  oh_dbus_phone_emit_call_added (phone, path);
}

static void
on_call_removed (OhCallManager *calls,
                 OhCall        *call,
                 OhBus         *self)
{
  OhDBusPhone *phone = g_object_get_data (G_OBJECT (self), "oh-phone");
  g_autofree char *path = oh_bus_make_path (CALL_PATH_PREFIX, oh_call_get_id (call));

  oh_bus_forget_model (G_OBJECT (call));
  oh_bus_objects_remove_skeleton (oh_bus_get_objects (self), path);
  update_calls_property (self, phone);
  oh_dbus_phone_emit_call_removed (phone, path);
}

/* --- Phone ----------------------------------------------------------- */

static void
on_dialled (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;
  g_autoptr(OhCall) call = oh_call_manager_dial_finish (OH_CALL_MANAGER (source), result, &error);
  g_autofree char *path = NULL;

  if (call == NULL)
    {
      g_dbus_method_invocation_take_error (invocation, error);
      return;
    }
  path = oh_bus_make_path (CALL_PATH_PREFIX, oh_call_get_id (call));
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", path));
}

static gboolean
on_handle_dial (OhDBusPhone           *phone,
                GDBusMethodInvocation *invocation,
                const char            *number,
                GVariant              *options,
                OhBus                 *self)
{
  oh_call_manager_dial_async (manager (self), number, options, NULL, on_dialled,
                              g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_hangup_all (OhDBusPhone           *phone,
                      GDBusMethodInvocation *invocation,
                      OhBus                 *self)
{
  oh_call_manager_hangup_all (manager (self));
  oh_dbus_phone_complete_hangup_all (phone, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_missed_calls_changed (OhService   *service,
                         OhDBusPhone *phone)
{
  oh_dbus_phone_set_missed_calls (phone, oh_service_count_missed_calls (service));
}

static gboolean
on_handle_acknowledge_missed_calls (OhDBusPhone           *phone,
                                    GDBusMethodInvocation *invocation,
                                    OhBus                 *self)
{
  GError *error = NULL;

  if (oh_service_acknowledge_missed_calls (oh_bus_get_service (self), &error))
    oh_dbus_phone_complete_acknowledge_missed_calls (phone, invocation);
  else
    g_dbus_method_invocation_take_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * oh_bus_calls_setup:
 *
 * Returns: (transfer full): the Phone interface for the root object, kept
 * up to date with the user's calls.
 */
OhDBusPhone *
oh_bus_calls_setup (OhBus *self)
{
  OhDBusPhone *phone = oh_dbus_phone_skeleton_new ();

  g_object_set_data (G_OBJECT (self), "oh-phone", phone);
  g_signal_connect_object (phone, "handle-dial", G_CALLBACK (on_handle_dial), self, 0);
  g_signal_connect_object (phone, "handle-hangup-all", G_CALLBACK (on_handle_hangup_all), self, 0);
  g_signal_connect_object (phone, "handle-acknowledge-missed-calls",
                           G_CALLBACK (on_handle_acknowledge_missed_calls), self, 0);
  g_signal_connect_object (oh_bus_get_service (self), "missed-calls-changed",
                           G_CALLBACK (on_missed_calls_changed), phone, 0);
  g_signal_connect_object (manager (self), "call-added", G_CALLBACK (on_call_added), self, 0);
  g_signal_connect_object (manager (self), "call-removed", G_CALLBACK (on_call_removed), self, 0);
  return phone;
}

/* --- User.Call() and User.CallMobile() ------------------------------- */

static void
dial_for_user (OhBus                 *self,
               GDBusMethodInvocation *invocation,
               const char            *number)
{
  oh_call_manager_dial_async (manager (self), number, NULL, NULL, on_dialled,
                              g_object_ref (invocation));
}

/* User.Call() (@mobile FALSE) and User.CallMobile() */
void
oh_bus_calls_call_user (OhBus                 *self,
                        OhUser                *user,
                        gboolean               mobile,
                        GDBusMethodInvocation *invocation)
{
  if (mobile && *oh_user_get_mobile (user) == '\0')
    {
      g_dbus_method_invocation_return_error (invocation, OH_ERROR, OH_ERROR_NOT_FOUND,
                                             _("The directory has no mobile number for %s"),
                                             *oh_user_get_full_name (user)
                                               ? oh_user_get_full_name (user)
                                               : oh_user_get_extension (user));
      return;
    }
  dial_for_user (self, invocation, mobile ? oh_user_get_mobile (user)
                                          : oh_user_get_extension (user));
}

// The audit log target: see the types of this module.

/** Every validation rule, in the order their findings are reported. */
import type { Rule } from './ruleTypes';
import { unknownResource, resourceNotOnPlatform, unknownProperty, invalidPropertyValue, unknownAction, deprecatedProperty, missingRequiredProperty } from './resourceRules';
import { malformedNotification, danglingNotification, neverNotified } from './notificationRules';
import { missingSource } from './fileRules';
import { duplicateResource, attributeNeverSet, compilerFindings } from './runRules';
import { nestingTooDeep } from './nestingRule';

export const RULES: Rule[] = [
  compilerFindings,
  nestingTooDeep,
  unknownResource,
  resourceNotOnPlatform,
  unknownProperty,
  invalidPropertyValue,
  unknownAction,
  missingRequiredProperty,
  deprecatedProperty,
  malformedNotification,
  danglingNotification,
  missingSource,
  duplicateResource,
  neverNotified,
  attributeNeverSet,
];

/**
 * The rules that hold for resources a custom resource's actions declare whatever the instance and
 * the rest of the run: not notification targets (they may be in the run around it), duplicates,
 * never-notified resources or attribute reads.
 */
export const ACTION_BODY_RULES: Rule[] = [
  unknownResource,
  resourceNotOnPlatform,
  unknownProperty,
  invalidPropertyValue,
  unknownAction,
  missingRequiredProperty,
  deprecatedProperty,
  malformedNotification,
  missingSource,
];

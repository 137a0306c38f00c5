/**
 * Generates a large, realistic SCORM 2004 4th Edition manifest: nested items with parameters,
 * sequencing (control modes, rules, objectives with global maps, rollup, delivery controls),
 * adlnav presentation, resources with xml:base, files and dependencies.
 */
export function generateManifest(targetBytes: number): string {
  const items: string[] = [];
  const resources: string[] = [];
  let i = 0;
  let size = 0;
  while (size < targetBytes) {
    i++;
    const item = `
      <item identifier="module_${i}" isvisible="true">
        <title>Module ${i}</title>
        <item identifier="activity_${i}" identifierref="RES_${i}" parameters="?module=${i}&amp;lang=en">
          <title>Activity ${i}: a lesson with a reasonably long title</title>
          <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8" progressWeight="1"/>
          <adlnav:presentation>
            <adlnav:navigationInterface>
              <adlnav:hideLMSUI>continue</adlnav:hideLMSUI>
              <adlnav:hideLMSUI>previous</adlnav:hideLMSUI>
            </adlnav:navigationInterface>
          </adlnav:presentation>
          <imsss:sequencing>
            <imsss:controlMode choice="true" flow="true" forwardOnly="false"/>
            <imsss:sequencingRules>
              <imsss:preConditionRule>
                <imsss:ruleConditions conditionCombination="any">
                  <imsss:ruleCondition referencedObjective="obj_${i}" condition="satisfied"/>
                  <imsss:ruleCondition operator="not" condition="attempted"/>
                </imsss:ruleConditions>
                <imsss:ruleAction action="skip"/>
              </imsss:preConditionRule>
              <imsss:postConditionRule>
                <imsss:ruleConditions>
                  <imsss:ruleCondition condition="completed"/>
                </imsss:ruleConditions>
                <imsss:ruleAction action="continue"/>
              </imsss:postConditionRule>
            </imsss:sequencingRules>
            <imsss:limitConditions attemptLimit="3"/>
            <imsss:rollupRules objectiveMeasureWeight="0.5">
              <imsss:rollupRule childActivitySet="atLeastCount" minimumCount="1">
                <imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>
                <imsss:rollupAction action="satisfied"/>
              </imsss:rollupRule>
            </imsss:rollupRules>
            <imsss:objectives>
              <imsss:primaryObjective objectiveID="primary_${i}" satisfiedByMeasure="true">
                <imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>
                <imsss:mapInfo targetObjectiveID="global_${i}" writeSatisfiedStatus="true"/>
              </imsss:primaryObjective>
              <imsss:objective objectiveID="obj_${i}">
                <imsss:mapInfo targetObjectiveID="global_obj_${i}" readSatisfiedStatus="true"/>
              </imsss:objective>
            </imsss:objectives>
            <imsss:deliveryControls tracked="true" completionSetByContent="true"/>
          </imsss:sequencing>
        </item>
      </item>`;
    const resource = `
    <resource identifier="RES_${i}" type="webcontent" adlcp:scormType="sco" href="index.html?start=1" xml:base="module_${i}/">
      <file href="index.html"/>
      <file href="scripts/module.js"/>
      <file href="styles/module.css"/>
      <file href="media/image_${i}.png"/>
      <file href="media/narration_${i}.mp3"/>
      <dependency identifierref="COMMON"/>
    </resource>`;
    items.push(item);
    resources.push(resource);
    size += item.length + resource.length;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench.manifest" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG" adlseq:objectivesGlobalToSystem="false">
      <title>Benchmark course</title>${items.join('')}
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources xml:base="content/">${resources.join('')}
    <resource identifier="COMMON" type="webcontent" adlcp:scormType="asset">
      <file href="common/api.js"/>
    </resource>
  </resources>
</manifest>
`;
}

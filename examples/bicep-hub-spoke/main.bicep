// A hub with a VPN gateway and four spokes, each in its own resource group, peered both
// ways through modules. Compiled to main.json, which peerlint reads.

@description('The hub\'s region.')
param location string = 'westeurope'

@description('One VNet per spoke, peered with the hub.')
param spokes array = [
  { name: 'app', addressPrefix: '10.1.0.0/16', location: 'westeurope', gatewaySubnetPrefix: '' }
  // Copied from the hub's row by mistake: overlaps 10.0.0.0/16.
  { name: 'payments', addressPrefix: '10.0.128.0/20', location: 'westeurope', gatewaySubnetPrefix: '' }
  { name: 'analytics', addressPrefix: '10.3.0.0/16', location: 'northeurope', gatewaySubnetPrefix: '' }
  // Still has the VPN gateway it used before it joined the hub.
  { name: 'branch', addressPrefix: '10.4.0.0/16', location: 'westeurope', gatewaySubnetPrefix: '10.4.255.0/27' }
]

module hubVnet 'modules/vnet.bicep' = {
  name: 'hub-vnet'
  scope: resourceGroup('rg-hub')
  params: {
    name: 'vnet-hub'
    location: location
    addressPrefix: '10.0.0.0/16'
    gatewaySubnetPrefix: '10.0.255.0/27'
  }
}

module spokeVnets 'modules/vnet.bicep' = [for spoke in spokes: {
  name: 'spoke-${spoke.name}'
  scope: resourceGroup('rg-${spoke.name}')
  params: {
    name: 'vnet-${spoke.name}'
    location: spoke.location
    addressPrefix: spoke.addressPrefix
    gatewaySubnetPrefix: spoke.gatewaySubnetPrefix
  }
}]

module hubToSpokes 'modules/peering.bicep' = [for (spoke, i) in spokes: {
  name: 'hub-to-${spoke.name}'
  scope: resourceGroup('rg-hub')
  params: {
    localVnetName: hubVnet.outputs.name
    remoteVnetId: spokeVnets[i].outputs.id
    allowGatewayTransit: true
  }
}]

module spokesToHub 'modules/peering.bicep' = [for (spoke, i) in spokes: {
  name: '${spoke.name}-to-hub'
  scope: resourceGroup('rg-${spoke.name}')
  params: {
    localVnetName: spokeVnets[i].outputs.name
    remoteVnetId: hubVnet.outputs.id
    useRemoteGateways: true
  }
}]
